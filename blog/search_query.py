"""What a reader typed into the search box, read once for both databases.

A query is words and "quoted phrases"; a leading `-` leaves out the posts
that have a word or phrase. Nothing else is syntax: `*`, `NEAR(`, `AND`,
`OR` and stray quotes are words or nothing, so no query can break the
database's own query language. Pure: no database, no settings.
"""

import re
from dataclasses import dataclass

MAX_QUERY_CHARS = 200

# A quoted phrase (its closing quote may be missing) or a bare word, either
# with a leading `-`.
_TERM = re.compile(r'(-?)"([^"]*)(?:"|$)|(-?)([^\s"]+)')
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class SearchQuery:
    text: str  # what the reader typed, trimmed to MAX_QUERY_CHARS
    included: tuple[str, ...]  # words and phrases a result must have
    excluded: tuple[str, ...]  # words and phrases it must not have

    @classmethod
    def parse(cls, typed):
        """Return the query in `typed`, trimmed and split into terms."""
        text = " ".join(typed.split())[:MAX_QUERY_CHARS].strip()
        included, excluded = [], []
        for match in _TERM.finditer(text):
            minus = match.group(1) or match.group(3)
            term = " ".join((match.group(2) or match.group(4) or "").split())
            # A term of punctuation only (`*`, `(`) finds nothing anywhere.
            if _WORD.search(term):
                (excluded if minus else included).append(term)
        return cls(text=text, included=tuple(included), excluded=tuple(excluded))

    @property
    def is_searchable(self):
        """Return whether there is anything to look for: a query of only
        excluded terms would list nearly everything, which is no search.
        """
        return bool(self.included)

    def fts5(self):
        """Return the query in SQLite FTS5's syntax: every term quoted, so
        the tokenizer sees it as text and never as an operator.
        """
        matched = " AND ".join(map(_quoted, self.included))
        if not self.excluded:
            return matched
        return f"({matched}) NOT ({' OR '.join(map(_quoted, self.excluded))})"


def _quoted(term):
    return '"' + term.replace('"', '""') + '"'
