# English dates as Inkwell has always shown them ("5 March 2024"), instead of
# Django's US defaults ("March 5, 2024"). Other languages use Django's own
# locale formats.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
