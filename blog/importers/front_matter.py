"""YAML front matter: written in the Markdown folder's fixed style, and read
back with the line of every key, so that a value of the wrong type is
refused with the file and line it is on.
"""

from datetime import date, datetime, time

import yaml
from django.utils import timezone


class FolderError(Exception):
    """The folder cannot be read or written; the message names the file and
    line and says what to do.
    """


class _FrontMatterDumper(yaml.SafeDumper):
    """YAML that reads well: dates as ISO 8601 timestamps, text with line
    breaks as literal blocks, lists indented under their key.
    """

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_datetime(dumper, value):
    text = timezone.localtime(value).isoformat(timespec="seconds")
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", text)


def _represent_text(dumper, value):
    # PyYAML falls back to a quoted string when a literal block cannot hold
    # the text exactly (trailing spaces, control characters).
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_FrontMatterDumper.add_representer(datetime, _represent_datetime)
_FrontMatterDumper.add_representer(str, _represent_text)


def dump_yaml(data):
    """Return `data` as YAML text in the folder's fixed style."""
    return yaml.dump(
        data,
        Dumper=_FrontMatterDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,
    )


class FrontMatter:
    """Parsed YAML keys and values, each read as the type it must have, with
    errors that name the file and the line of the key.
    """

    def __init__(self, data, node, source, first_line, *, line=None, within=""):
        self.data = data
        self.node = node
        self.source = source
        self.first_line = first_line
        # Where a missing key is reported: this mapping's own line.
        self.line = first_line if line is None else line
        # How the keys are named in messages: `featured: position`.
        self.within = within
        self.lines = {}
        if isinstance(node, yaml.MappingNode):
            for key, _value in node.value:
                self.lines.setdefault(str(key.value), key.start_mark.line + first_line)

    @classmethod
    def parse(cls, text, source, first_line):
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            raise FolderError(
                f"{source}, line {mark.line + first_line}: this is not valid YAML "
                f"({error.problem or error.context}). Fix it and import again."
            ) from error
        except yaml.YAMLError as error:
            raise FolderError(
                f"{source}: this is not valid YAML ({error}). Fix it and import again."
            ) from error
        finally:
            loader.dispose()
        return cls(data, node, source, first_line)

    def item(self, number, node):
        """Return the mapping at index `number` of a list, as FrontMatter."""
        entry = FrontMatter(
            self.data[number],
            node,
            self.source,
            self.first_line,
            line=node.start_mark.line + self.first_line,
        )
        if not isinstance(entry.data, dict):
            raise entry.error(None, "should be keys and values such as `name: ...`")
        return entry

    def mapping(self, key, known, warnings):
        """Return the nested mapping under `key` (empty when absent)."""
        node = next((v for k, v in self.node.value if k.value == key), None)
        value = self.data.get(key)
        if value is None:
            return FrontMatter({}, None, self.source, self.first_line)
        if not isinstance(value, dict):
            raise self.error(key, f"should have {' and '.join(known)} under it")
        nested = FrontMatter(
            value,
            node,
            self.source,
            self.first_line,
            line=self.line_of(key),
            within=f"{key}: ",
        )
        nested.warn_unknown(known, warnings)
        return nested

    def line_of(self, key):
        if key is None and self.node is not None:
            return self.node.start_mark.line + self.first_line
        return self.lines.get(key, self.line)

    def error(self, key, problem):
        subject = "The front matter" if key is None else f"`{self.within}{key}`"
        return FolderError(
            f"{self.source}, line {self.line_of(key)}: {subject} {problem}. Fix "
            "it and import again."
        )

    def warn_unknown(self, known, warnings):
        for key in self.data:
            if key not in known:
                warnings.append(
                    f"{self.source}, line {self.line_of(str(key))}: the key "
                    f"`{self.within}{key}` is not one Inkwell knows; it was ignored."
                )

    def text(self, key, *, required=False, default=""):
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise self.error(key, "is missing or empty")
            return default
        if not isinstance(value, str):
            raise self.error(key, "should be text; put it in quotes")
        return value

    def choice(self, key, choices, default):
        value = self.text(key, default=default)
        if value not in choices:
            raise self.error(key, f"should be one of {', '.join(choices)}")
        return value

    def number(self, key, *, required=False):
        value = self.data.get(key)
        if value is None and not required:
            return None
        if type(value) is not int:
            raise self.error(key, "should be a whole number")
        return value

    def boolean(self, key):
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self.error(key, "should be true or false")
        return value

    def names(self, key):
        value = self.data.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, "should be a list of texts")
        return tuple(value)

    def datetime(self, key):
        """Return an aware datetime: a date alone means midnight, and a time
        without an offset is in the site's time zone (TIME_ZONE).
        """
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            value = datetime.combine(value, time())
        if not isinstance(value, datetime):
            raise self.error(
                key, "should be a date and time such as 2024-03-05T10:00:00+01:00"
            )
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value
