class UnicodeSlugConverter:
    """A slug of letters in any script, digits, hyphens and underscores."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class YearConverter:
    """A four-digit year, as in /archive/2024/."""

    regex = r"[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:04d}"


class MonthConverter:
    """A two-digit month, 01 to 12, as in /archive/2024/03/."""

    regex = r"0[1-9]|1[0-2]"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:02d}"


class PagePathConverter:
    """A page's path: slugs joined by slashes, as in /about/ or /about/team/."""

    regex = r"[-\w]+(?:/[-\w]+)*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
