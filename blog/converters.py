class UnicodeSlugConverter:
    """A slug of letters in any script, digits, hyphens and underscores."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
