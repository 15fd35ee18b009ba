"""Bare URLs linked as GitHub links them, in time linear in the text.

markdown-it's linkify (linkify-it-py) with GitHub's choices: `https://…`,
`www.…` and e-mail addresses are links; a bare file name such as `models.py`
is not. linkify-it does work that grows with the square of a long text or
a busy paragraph; the wrappers here bound it.
"""

import re

from blog.rendering import budget

# Texts are searched in pieces of about this many characters.
_PIECE_LENGTH = 4096

# A cheap test before linkify-it's own, a large case-blind regex that was a
# fifth of a render: a text with none of these has no link to find.
_MAYBE_LINK = re.compile(r"//|www\.|@|mailto:", re.IGNORECASE)


def link_bare_urls_as_github_does(linkify):
    # Not linkify-it's fuzzy links: they would make "models.py" a link to
    # the host models.py. `www.` alone still starts a link, to http://.
    linkify.set({"fuzzy_link": False})
    linkify.add(
        "www.",
        {
            "validate": re.compile(
                "^" + linkify.re["src_host_port_strict"] + linkify.re["src_path"]
            ),
            "normalize": _prefix_http,
        },
    )
    pretest = linkify.pretest
    linkify.pretest = lambda text: bool(_MAYBE_LINK.search(text)) and pretest(text)
    linkify.match = _match_in_pieces(linkify.match)
    linkify.test = _test_in_pieces(linkify.test)


def _pieces(text):
    """Yield (start, piece) of `text` in pieces that end at a space.

    linkify-it's validators copy the rest of the text for each candidate
    they check: a text of many took time that grows with its square. A link
    never holds a space, so the pieces hold the same links.
    """
    start = 0
    while start < len(text):
        end = text.find(" ", start + _PIECE_LENGTH)
        end = len(text) if end == -1 else end
        yield start, text[start:end]
        start = end


def _match_in_pieces(match):
    def match_in_pieces(text):
        found = []
        for start, piece in _pieces(text):
            for link in match(piece) or ():
                link.index += start
                link.last_index += start
                found.append(link)
        return found or None

    return match_in_pieces


def _test_in_pieces(test):
    # The cheap test first here too: markdown-it tests each text of a
    # paragraph that passed the pretest, most of them without a link.
    return lambda text: (
        bool(_MAYBE_LINK.search(text))
        and any(test(piece) for _start, piece in _pieces(text))
    )


def linkify_within_bounds(linkify_rule):
    """Wrap markdown-it's core linkify rule to skip very busy paragraphs,
    and the paragraphs past the document's bare URL budget (budget.py).

    For each text it links it copies the paragraph's whole list of inline
    tokens: work that grows with the square of a paragraph of thousands of
    links. Such a paragraph keeps the links written as links (`<...>`,
    `[...](...)`), and links no bare URL.
    """

    def linkify_within_bounds(state):
        busy = [
            token
            for token in state.tokens
            if token.type == "inline" and _is_busy(state.env, token)
        ]
        for token in busy:
            token.type = "inline_not_linkified"  # the rule skips other types
        try:
            linkify_rule(state)
        finally:
            for token in busy:
                token.type = "inline"

    return linkify_within_bounds


_BUSY_PARAGRAPH = 500


def count_candidates(text):
    """Return how many places in `text` may start a bare URL."""
    return len(_MAYBE_LINK.findall(text))


def _is_busy(env, token):
    candidates = count_candidates(token.content)
    within_budget = budget.spend_bare_url_candidates(env, candidates)
    return not within_budget or len(token.children or ()) > _BUSY_PARAGRAPH


def _prefix_http(self, match):
    match.url = "http://" + match.url
