"""Where a search snippet is quoted from (blog.search_passage): the regular
expression that finds the first place a query's words appear, read here by
Python's own engine, which agrees with PostgreSQL's on what these use once
`\\m` (a word's start) is spelled `\\b`.
"""

import re

from blog.search_passage import pattern


def first_match(terms, text):
    """Return where `pattern(terms)` first matches `text`, or None."""
    expression = pattern(terms)
    found = re.search(expression.replace(r"\m", r"\b"), text, re.IGNORECASE)
    return found and found.group()


def test_a_word_is_found_by_its_stem_at_a_word_start():
    assert first_match([["compil"]], "Recompiled by the Compilers.") == "Compilers"


def test_a_stem_that_is_not_its_words_start_is_found_less_its_last_letter():
    # English stems "memory" as "memori".
    assert first_match([["memori"]], "Memory barriers") == "Memory"


def test_a_short_or_numeric_stem_is_found_whole():
    assert first_match([["50007"]], "Post 50001, post 50007") == "50007"
    assert first_match([["gcc"]], "gc gcc") == "gcc"


def test_a_phrase_is_found_where_its_words_are_together():
    text = "A calling site. The calling convention."
    assert first_match([["call", "convent"]], text) == "calling convention"


def test_a_stop_word_inside_a_phrase_takes_any_word():
    text = "State the art: a state of the art"
    assert first_match([["state", None, None, "art"]], text) == "state of the art"


def test_stop_words_at_a_phrase_end_or_alone_constrain_nothing():
    assert first_match([[None, "frame"], [None]], "The stack frame") == "frame"
    assert pattern([[None], []]) is None
    assert pattern([]) is None


def test_the_first_term_with_a_stem_places_the_window():
    text = "A stack of registers"
    assert first_match([["regist"], ["stack"]], text) == "registers"
    assert first_match([[None], ["stack"], ["regist"]], text) == "stack"


def test_a_stem_is_text_never_syntax():
    assert first_match([["a.b"]], "axb a.b") == "a.b"
    assert r"\-" in pattern([["x86-64"]])
    assert r"\+\+" in pattern([["c++"]])
