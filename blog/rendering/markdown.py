"""The Markdown dialect: CommonMark with GitHub's extensions, on markdown-it-py.

CommonMark plus tables, ~~strikethrough~~, bare URLs made links as GitHub
makes them (`https://…`, `www.…`, e-mail addresses; never a bare file name
such as `models.py`), footnotes, smart quotes and dashes, and code
highlighted by Pygments into CSS classes (`codehilite`, styled by
static/css/pygments.css). The parser is made once and shared: parsing keeps
its state in the call, never in the parser.

Every id the renderer writes is built on the document's key (`env["key"]`):
see blog/rendering/ids.py.
"""

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll
from mdit_py_plugins.footnote import footnote_plugin
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from blog.rendering import bare_urls, budget, ids

# Fence languages that Pygments reads differently from what authors of
# technical posts mean: `s` and `asm` are GNU assembler (AT&T syntax) here,
# not the S statistics language.
CODE_LANGUAGE_ALIASES = {"s": "gas", "asm": "gas", "x86": "gas", "x86asm": "gas"}

# markdown-it recurses once per level of inline nesting (links in links) and
# per level of blocks (quotes in lists in quotes): this bounds both, far
# below Python's recursion limit.
MAX_NESTING = 50
# Blocks nested this deep are shown as a paragraph of their text instead:
# past MAX_NESTING markdown-it would drop them without a trace.
MAX_BLOCK_DEPTH = MAX_NESTING - 10
# markdown-it tries each `[` as a link, footnote or image, at a cost that
# grows with MAX_NESTING: a document past this many shows the rest as text.
MAX_LINK_BRACKETS = 10_000
# Text is handled in pieces of about this many characters where whole
# texts would make the work grow with the square of their length.
_LONG_TEXT = 4096

# Only the highlighted lines: _code_block writes the block around them.
_FORMATTER = HtmlFormatter(nowrap=True)


def highlight(code, language):
    """Return `code` as a highlighted block; an unknown language is plain
    text. A block whose fence names a language shows a label with its name.
    """
    lexer = _lexer(language.lower())
    lines = pygments_highlight(code, lexer, _FORMATTER)
    label = language if isinstance(lexer, TextLexer) else lexer.name
    return _code_block(lines, label if language else "")


def _code_block(lines, label):
    # The label is text in the block, before its code: read first, and
    # never scrolled away with a long line.
    if label:
        label = f'<div class="code-language">{escapeHtml(label)}</div>'
    return f'<div class="codehilite">{label}<pre><code>{lines}</code></pre></div>\n'


@lru_cache(maxsize=64)
def _lexer(language):
    try:
        return get_lexer_by_name(CODE_LANGUAGE_ALIASES.get(language, language))
    except ClassNotFound:
        return TextLexer()


def _render_fence(self, tokens, idx, options, env):
    info = unescapeAll(tokens[idx].info).strip()
    return highlight(tokens[idx].content, info.split(maxsplit=1)[0] if info else "")


def _render_code_block(self, tokens, idx, options, env):
    return highlight(tokens[idx].content, "")


def _depth_guard(state, start_line, end_line, silent):
    """Show blocks nested past MAX_BLOCK_DEPTH as one paragraph of text."""
    if state.level < MAX_BLOCK_DEPTH:
        return False
    if silent:
        return True
    state.push("paragraph_open", "p", 1).map = [start_line, end_line]
    inline = state.push("inline", "", 0)
    inline.content = state.getLines(start_line, end_line, state.blkIndent, False)
    inline.map, inline.children = [start_line, end_line], []
    state.push("paragraph_close", "p", -1)
    state.line = end_line
    return True


# A thematic break: three or more of one of `-*_`, spaces between.
# Possessive: a line that fails is read once, not again backtracking.
_THEMATIC_BREAK = re.compile(r"([-*_])(?:[ \t]*+\1){2,}+[ \t]*+")


def _hr_at_c_speed(hr_rule):
    """Wrap markdown-it's hr rule to test its line with a regex first.

    The rule reads the line in Python, and is tried at each level of a
    nested list: a line of a million `- ` read forty times took seconds.
    """

    def hr(state, start_line, end_line, silent):
        start = state.bMarks[start_line] + state.tShift[start_line]
        line_end = state.eMarks[start_line]
        if not _THEMATIC_BREAK.fullmatch(state.src, start, line_end):
            return False
        return hr_rule(state, start_line, end_line, silent)

    return hr


def _text_run(characters):
    """Return an inline rule that takes a run of `characters` as text at once.

    markdown-it adds text it has no rule for one character at a time to a
    string (`state.pending += ...`): a run of a hundred thousand `>` took
    time that grows with its square. None of `characters` starts a rule
    here, except `!` before `[` (an image), which is left for that rule.
    """

    def text_run(state, silent):
        start = end = state.pos
        while end < state.posMax and state.src[end] in characters:
            end += 1
        if state.src[end - 1 : end + 1] == "![":
            end -= 1
        if end - start < 2:
            return False
        if not silent:
            state.pending += state.src[start:end]
        state.pos = end
        return True

    return text_run


def _flush_long_text(state, silent):
    """Make a text token of the text gathered so far once it is long.

    markdown-it gathers text between tokens by `state.pending += ...`, which
    copies it each time: in a long paragraph without markup that grows
    with the square of its length. This rule, tried first at every
    position, bounds each copy; adjacent text tokens are joined later.
    """
    if not silent and len(state.pending) > _LONG_TEXT:
        state.pushPending()
    return False


# Characters that start no inline rule (see _text_run). The space too: no
# rule starts at one, and "- - - x" would be a rule cascade per character.
_INERT_CHARACTERS = frozenset(">=#%+-${}! ")


def _parse_inline_within_budget(state):
    """markdown-it's core "inline" rule, with the `[` budget and the inline
    budget (budget.py) of a document.
    """
    brackets = 0
    for token in state.tokens:
        if token.type == "html_block":
            budget.spend_raw_html_block(state.env, token)
        if token.type != "inline":
            continue
        candidates = bare_urls.count_candidates(token.content)
        if not budget.spend_inline_marks(state.env, token.content, candidates):
            budget.make_plain_inline(token)
            continue
        brackets += token.content.count("[")
        parser = state.md if brackets <= MAX_LINK_BRACKETS else _WITHOUT_LINKS
        token.children = token.children or []
        parser.inline.parse(token.content, parser, state.env, token.children)


def _make_parser(inert=_INERT_CHARACTERS):
    options = {"typographer": True, "linkify": True, "html": True}
    parser = (
        MarkdownIt("commonmark", {**options, "maxNesting": MAX_NESTING})
        .enable(["table", "strikethrough", "linkify", "replacements", "smartquotes"])
        .use(footnote_plugin)
    )
    # Bare URLs are linked by the core rule alone: the inline one copies the
    # rest of the text at each "http:" it meets (quadratic on "http: " x N).
    parser.inline.ruler.disable("linkify")
    parser.block.ruler.before("table", "inkwell_depth_guard", _depth_guard)
    parser.block.ruler.before(
        "inkwell_depth_guard", "inkwell_budget", budget.block_budget
    )
    _wrap_block_rule(parser, "table", budget.table_within_budget)
    _wrap_block_rule(parser, "hr", _hr_at_c_speed)
    parser.core.ruler.at("inline", _parse_inline_within_budget)
    linkify_rule = next(r for r in parser.core.ruler.__rules__ if r.name == "linkify")
    parser.core.ruler.at("linkify", bare_urls.linkify_within_bounds(linkify_rule.fn))
    parser.inline.ruler.before("text", "inkwell_text_run", _text_run(inert))
    parser.inline.ruler.before("inkwell_text_run", "inkwell_flush", _flush_long_text)
    bare_urls.link_bare_urls_as_github_does(parser.linkify)
    parser.add_render_rule("fence", _render_fence)
    parser.add_render_rule("code_block", _render_code_block)
    parser.add_render_rule(budget.PLAIN_BLOCK, budget.render_plain_text)
    parser.add_render_rule(budget.PLAIN_INLINE, budget.render_plain_inline)
    ids.add_footnote_render_rules(parser)
    return parser


def _wrap_block_rule(parser, name, wrapper):
    rule = next(r for r in parser.block.ruler.__rules__ if r.name == name)
    parser.block.ruler.at(name, wrapper(rule.fn), {"alt": rule.alt})


PARSER = _make_parser()
_WITHOUT_LINKS = _make_parser(inert=_INERT_CHARACTERS | {"["}).disable(
    ["link", "image", "footnote_ref", "footnote_inline"]
)


def parse(text, *, key):
    """Return the block tokens of `text` and the env its ids are built on."""
    env = {"key": key}
    return PARSER.parse(text, env), env


def render(tokens, env):
    """Return the HTML for `tokens` (not sanitized yet)."""
    return PARSER.renderer.render(tokens, PARSER.options, env)
