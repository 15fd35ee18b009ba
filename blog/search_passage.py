"""Where in a long text a search snippet is quoted from, found cheaply.

PostgreSQL's ts_headline parses and stems every word of the text it quotes
from: over whole bodies, a page of ten hits cost more than the search itself
(some 2 to 10 ms a 1,500-word post). So it is handed a window instead: some
WINDOW_CHARS characters from a little before the first place the query's
first word or phrase appears, found by a regular expression built from its
stems (one scan of the text, no parsing). Pure: no database, no settings.

The expression is a guide, not the match: it finds each stem as the start
of a word, less its last letter (English turns the "y" of "memory" into
"memori"), and a phrase's words in order with what lies between them. Where
it finds nothing (a title-only match, or a stem unlike its words, as German
"Häuser" and "haus"), the window is the start of the text, as before. The
window's own words are then highlighted by ts_headline, by the real match.
"""

import re

# How much text is quoted from: ts_headline's two fragments of 30 words
# (some 400 characters) fit with room to choose from.
WINDOW_CHARS = 800
# How far before the first match the window starts, so the fragment can
# open with a few words of context.
LEAD_CHARS = 120
# Stems no shorter than this lose their last letter in the expression.
_TRIMMED_FROM = 4


def pattern(terms):
    """Return a PostgreSQL regular expression (ARE) that finds the first
    place the first of `terms` appears, or None when there is nothing to
    find.

    `terms` holds, for each included word or phrase of the query, the stem
    of each of its words in order (None for a stop word, which the index
    leaves out but a phrase still has in between). Only the first term
    with a stem places the window: an alternation of them all took
    PostgreSQL's engine several times as long as one (and a long query
    would make a long one); the window's other terms are highlighted all
    the same.
    """
    for stems in terms:
        if found := _term_pattern(stems):
            return found
    return None


def _term_pattern(stems):
    if not any(stems):
        return ""
    # Stop words at either end constrain nothing.
    while stems[0] is None:
        stems = stems[1:]
    while stems[-1] is None:
        stems = stems[:-1]
    return r"\W+".join(_word_pattern(stem) for stem in stems)


def _word_pattern(stem):
    if stem is None:
        return r"\w+"
    if len(stem) >= _TRIMMED_FROM and stem[-1].isalpha():
        stem = stem[:-1]
    # In PostgreSQL's expressions a backslash before anything but a letter
    # or digit is that character itself, as in Python's re.escape.
    return rf"\m{re.escape(stem)}\w*"
