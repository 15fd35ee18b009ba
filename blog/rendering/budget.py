"""Work budgets per document: past one, the rest of the post is plain text.

markdown-it is linear in the length of a text, but in pure Python each
block, table cell and inline delimiter costs tens of microseconds through
the pipeline: a megabyte of dense markup (a table of 260,000 cells, half
a million `*`) took over ten seconds, and rendering runs inside the admin's
save request. So each document gets budgets above what real writing
uses (a 5,000-word post makes about 180 blocks and 900 inline marks; a
megabyte of such posts stays inside them). Past a budget the text is
kept but no longer parsed: it shows, escaped, in paragraphs split at blank
lines, and the document is marked as over budget.
"""

import re

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

# Blocks (paragraphs, headings, list items, quotes, definitions, ...) a
# document may start; the lines after the last are plain text.
MAX_BLOCKS = 8_000
# Table cells in a document: a table that would pass the budget, and all
# after it, is plain text. One table rule call makes a whole table.
MAX_TABLE_CELLS = 20_000
# Inline marks (see _INLINE_MARKS) in a document: the paragraphs, headings
# and cells after the one that passes it show their text as written.
MAX_INLINE_MARKS = 40_000
# Tags (`<`) in paragraphs and raw HTML blocks: as MAX_INLINE_MARKS, and
# the raw HTML blocks after it show as text. Raw HTML goes through the
# HTML5 parser, with all of its paragraph: ten times the work of a mark.
MAX_RAW_HTML_TAGS = 1_000
# Places that may start a bare URL (`//`, `www.`, `@`, `mailto:`) in a
# document: the paragraphs after the one that passes it link no bare URLs.
# linkify-it spends about a hundred microseconds on each.
MAX_BARE_URLS = 5_000
# Paragraphs of plain text in a document: the last one holds all the rest
# of the text. Each costs as much as a block, and the text past a budget
# may have hundreds of thousands.
MAX_PLAIN_PARAGRAPHS = 1_000

# All of a document's work, weighted: each block costs WORK_PER_BLOCK, each
# inline mark or table cell one, each raw HTML tag and each place that may
# start a bare URL WORK_PER_TAG and WORK_PER_BARE_URL. Past MAX_WORK, the
# rest is plain text as past MAX_BLOCKS. The budgets of each kind above
# bound one shape of input; this one bounds a mix of them (short paragraphs
# that each hold a little of every kind), which stays under every one of
# them and still took over three seconds a megabyte. A megabyte of real
# posts with code and footnotes spends about 54,000 (6,000 blocks, 30,000
# marks): 50,000 is about 130,000 words of such writing.
MAX_WORK = 50_000
WORK_PER_BLOCK = 4
WORK_PER_TAG = 10
WORK_PER_BARE_URL = 10

# Characters that start inline work: emphasis, code, raw HTML, entities,
# links, footnotes, escapes; and bare URLs, found by their `:` or `@`.
_INLINE_MARKS = "*_~`<&[\\:@"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
PLAIN_BLOCK = "inkwell_plain_text"
PLAIN_INLINE = "inkwell_plain_inline"
_BLOCKS, _CELLS, _MARKS = "inkwell_blocks", "inkwell_cells", "inkwell_marks"
_URLS, _PARAGRAPHS = "inkwell_bare_urls", "inkwell_plain_paragraphs"
_TAGS, _WORK = "inkwell_tags", "inkwell_work"
_OVER = "inkwell_over_budget"


def is_over_budget(env):
    """Return whether a budget was passed while parsing into `env`."""
    return env.get(_OVER, False)


def block_budget(state, start_line, end_line, silent):
    """markdown-it block rule, tried before all others: past MAX_BLOCKS,
    take all the remaining lines as plain text.
    """
    blocks = state.env[_BLOCKS] = state.env.get(_BLOCKS, 0) + 1
    if blocks <= MAX_BLOCKS and _spend_work(state.env, WORK_PER_BLOCK):
        return False
    if not silent:
        _push_plain_text(state, start_line, end_line)
    return True


def _push_plain_text(state, start_line, end_line):
    # Inside a list item or a footnote, the lines of that container only:
    # the rest of the document is taken at its own level.
    line = start_line if state.blkIndent else end_line
    while line < end_line and (
        state.isEmpty(line) or state.sCount[line] >= state.blkIndent
    ):
        line += 1
    token = state.push(PLAIN_BLOCK, "", 0)
    token.content = state.getLines(start_line, line, state.blkIndent, False)
    token.map = [start_line, line]
    _make_plain_block(state.env, token)
    state.line = line


def _make_plain_block(env, token):
    text = token.content.strip()
    left = MAX_PLAIN_PARAGRAPHS - env.get(_PARAGRAPHS, 0)
    paragraphs = _PARAGRAPH_BREAK.split(text, maxsplit=left - 1) if left > 1 else [text]
    env[_PARAGRAPHS] = env.get(_PARAGRAPHS, 0) + len(paragraphs)
    env[_OVER] = True
    token.type, token.meta["paragraphs"] = PLAIN_BLOCK, paragraphs


def render_plain_text(self, tokens, index, options, env):
    """Render a plain text block: escaped, one paragraph per blank line,
    up to MAX_PLAIN_PARAGRAPHS in the document; the last holds the rest.
    """
    paragraphs = tokens[index].meta["paragraphs"]
    return "".join(f"<p>{escapeHtml(text)}</p>\n" for text in paragraphs if text)


def table_within_budget(table_rule):
    """Wrap markdown-it's table rule to keep a document's cells in budget."""

    def table(state, start_line, end_line, silent):
        if silent or not table_rule(state, start_line, end_line, True):
            return table_rule(state, start_line, end_line, silent)
        spent = state.env.get(_CELLS, 0)
        cells = _table_cells(state, start_line, end_line, MAX_TABLE_CELLS - spent)
        if spent + cells > MAX_TABLE_CELLS:
            state.env[_BLOCKS] = MAX_BLOCKS  # the rest is plain text too
            _push_plain_text(state, start_line, end_line)
            return True
        state.env[_CELLS] = spent + cells
        _spend_work(state.env, cells)
        return table_rule(state, start_line, end_line, silent)

    return table


def _table_cells(state, start_line, end_line, at_most):
    """Return about how many cells the table at `start_line` has: its
    header's columns times its lines, counted up to `at_most` + 1.
    """
    header = state.src[state.bMarks[start_line] : state.eMarks[start_line]]
    columns, cells, line = header.count("|") + 1, 0, start_line
    while line < end_line and not state.isEmpty(line) and cells <= at_most:
        cells += columns
        line += 1
    return cells


def spend_inline_marks(env, content, bare_url_candidates=0):
    """Count the inline marks of `content`, and the work of its places that
    may start a bare URL, against the document's budgets; return whether
    they are still within them.
    """
    marks = sum(map(content.count, _INLINE_MARKS))
    tags = content.count("<")
    within_marks = _spend(env, _MARKS, marks, MAX_INLINE_MARKS)
    within_tags = _spend(env, _TAGS, tags, MAX_RAW_HTML_TAGS)
    work = marks + tags * (WORK_PER_TAG - 1) + bare_url_candidates * WORK_PER_BARE_URL
    within_work = _spend_work(env, work)
    return within_marks and within_tags and within_work


def spend_raw_html_block(env, token):
    """Count the tags of an `html_block` token against the document's
    budget; past it, make the block plain text.
    """
    tags = token.content.count("<")
    within_tags = _spend(env, _TAGS, tags, MAX_RAW_HTML_TAGS)
    if not (_spend_work(env, tags * WORK_PER_TAG) and within_tags):
        _make_plain_block(env, token)


def spend_bare_url_candidates(env, count):
    """Count `count` places that may start a bare URL against the
    document's budget; return whether they are still within it.
    """
    return _spend(env, _URLS, count, MAX_BARE_URLS)


def _spend_work(env, amount):
    """Count `amount` against the document's MAX_WORK; past it, the blocks
    not yet parsed are plain text too. Return whether it is still within.
    """
    if _spend(env, _WORK, amount, MAX_WORK):
        return True
    env[_BLOCKS] = MAX_BLOCKS
    return False


def _spend(env, counter, amount, limit):
    spent = env[counter] = env.get(counter, 0) + amount
    if spent <= limit:
        return True
    env[_OVER] = True
    return False


def make_plain_inline(token):
    """Make an inline token show its content as text, as written.

    The token gets a type of its own, so that the core rules after parsing
    (bare URLs, smart quotes) pass it by; it renders as its children do.
    Hidden, it keeps the tag before it on its line, as an inline token does.
    """
    text = Token("text", "", 0)
    text.content = token.content
    token.type, token.children, token.hidden = PLAIN_INLINE, [text], True


def render_plain_inline(self, tokens, index, options, env):
    return self.renderInline(tokens[index].children, options, env)
