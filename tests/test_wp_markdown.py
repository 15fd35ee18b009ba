"""WordPress post HTML -> Inkwell Markdown (blog/importers/wp_markdown.py).

Pure: no database. The conversion table pins each WordPress construct to
its Markdown; the rendering tests render converted posts with Inkwell's own
pipeline and compare what a reader sees with what WordPress showed.
"""

import pytest

from blog.importers.shortcodes import AttachedImage
from blog.importers.wp_markdown import (
    ExportConverter,
    convert,
    original_image_url,
)
from blog.importers.wpautop import wpautop
from blog.importers.wxr import read_export
from blog.rendering import render_post
from tests.visible_text import visible_text, wordpress_html
from tests.wxr_files import fixture_path, shared_path

UPLOADS = "https://old.example.com/wp-content/uploads/2016/12"

CONVERSIONS = [
    # Classic editor: paragraphs by blank lines, line breaks within.
    (
        "First line\nsecond line\n\nNext paragraph.",
        "First line  \nsecond line\n\nNext paragraph.\n",
    ),
    # Block editor: its comments go, its HTML stays.
    (
        "<!-- wp:paragraph -->\n<p>One <em>two</em>.</p>\n<!-- /wp:paragraph -->",
        "One *two*.\n",
    ),
    (
        '<!-- wp:heading {"level":3} -->\n<h3 '
        'class="wp-block-heading">Title</h3>\n<!-- /wp:heading -->',
        "### Title\n",
    ),
    # The cut, with and without its own link text; later markers go.
    (
        "Intro.\n\n<!--more-->\n\nRest.",
        "Intro.\n\n<!--more-->\n\nRest.\n",
    ),
    (
        "Intro.<!--more Keep reading-->Rest.<!--more-->",
        "Intro.\n\n<!--more Keep reading-->\n\nRest.\n",
    ),
    (
        "<p>Intro.</p>\n<!--more But wait &amp; see-->\n<p>Rest.</p>",
        "Intro.\n\n<!--more But wait & see-->\n\nRest.\n",
    ),
    (
        "Page one.\n\n<!--nextpage-->\n\nPage two.",
        "Page one.\n\nPage two.\n",
    ),
    # Code: its language from wherever WordPress kept it, its text exact.
    (
        '<!-- wp:code {"language":"c"} -->\n<pre '
        'class="wp-block-code"><code>a &lt; b &amp;&amp; c</code>'
        "</pre>\n<!-- /wp:code -->",
        "```c\na < b && c\n```\n",
    ),
    (
        '<pre class="wp-block-code"><code class="language-rust">fn '
        "main() {}</code></pre>",
        "```rust\nfn main() {}\n```\n",
    ),
    (
        '<pre class="brush: cpp; gutter: false">std::vector&lt;int&gt; v;</pre>',
        "```cpp\nstd::vector<int> v;\n```\n",
    ),
    (
        '<pre lang="python">print("hi")</pre>',
        '```python\nprint("hi")\n```\n',
    ),
    (
        "<pre>plain\n\n  indented</pre>",
        "```\nplain\n\n  indented\n```\n",
    ),
    (
        '[sourcecode language="c"]\nif (a < b) return;\n[/sourcecode]',
        "```c\nif (a < b) return;\n```\n",
    ),
    (
        '[code lang="js"]x &lt;&lt; 2[/code]',
        "```js\nx << 2\n```\n",
    ),
    (
        "[python]\nimport os\n[/python]",
        "```python\nimport os\n```\n",
    ),
    (
        "[code]\n[caption]not a caption[/caption]\n[/code]",
        "```\n[caption]not a caption[/caption]\n```\n",
    ),
    (
        "<pre>[code]x[/code] <!--more--></pre>",
        "```\n[code]x[/code]\n```\n",
    ),
    (
        "<pre>three ``` ticks</pre>",
        "````\nthree ``` ticks\n````\n",
    ),
    (
        "<p>Run <code>make</code> now.</p>",
        "Run `make` now.\n",
    ),
    # Images and captions keep the image, its alt text and the caption.
    (
        '[caption id="attachment_302" width="300"]<a '
        f'href="{UPLOADS}/f.p'
        'ng"><img src="https://old.example.com/wp-content/uploads/201'
        '6/12/f-300x200.png" alt="A frame" /></a> The frame[/caption]',
        "[![A frame](https://old.example.com/wp-content/uploads/2016/"
        "12/f-300x200.png)](https://old.example.com/wp-content/upload"
        "s/2016/12/f.png)\n\nThe frame\n",
    ),
    (
        '[caption id="" caption="Old style"]<img src="/a.png" alt="A" />[/caption]',
        "![A](/a.png)\n\nOld style\n",
    ),
    (
        '<figure class="wp-block-image"><img src="/b.png" alt="B"/>'
        '<figcaption class="wp-element-caption">Cap <em>x</em>'
        "</figcaption></figure>",
        "![B](/b.png)\n\nCap *x*\n",
    ),
    # Galleries show their images; unknown ones vanish without a note.
    (
        '[gallery ids="7,8,9"]',
        "![Seven](/7.jpg)\n\n![](/8.jpg)\n",
    ),
    (
        "Before.\n\n[gallery]\n\nAfter.",
        "Before.\n\nAfter.\n",
    ),
    # Embeds and media become plain links.
    (
        "[embed]https://www.youtube.com/watch?v=abc[/embed]",
        "<https://www.youtube.com/watch?v=abc>\n",
    ),
    (
        "Watch:\n\nhttps://vimeo.com/123\n\nDone.",
        "Watch:\n\n<https://vimeo.com/123>\n\nDone.\n",
    ),
    (
        '[audio mp3="https://old.example.com/a.mp3"][/audio]',
        "<https://old.example.com/a.mp3>\n",
    ),
    (
        '<iframe src="https://www.youtube.com/embed/x"></iframe>',
        "<https://www.youtube.com/embed/x>\n",
    ),
    # Other shortcodes: their text stays, the brackets go; prose stays.
    (
        '[highlight color="yellow"]Look.[/highlight]',
        "Look.\n",
    ),
    (
        '[contact-form-7 id="12" title="Contact"]',
        "",
    ),
    (
        "He said [sic] twice.",
        "He said [sic] twice.\n",
    ),
    (
        "Type [[gallery]] to show a gallery.",
        "Type [gallery] to show a gallery.\n",
    ),
    # Footnotes written in place by a plugin.
    (
        "A claim.[footnote]A source.[/footnote] More.",
        "A claim.[^1] More.\n\n[^1]: A source.\n",
    ),
    # Classic footnote lists (PHP Markdown Extra, Jetpack).
    (
        'Text<sup id="fnref:1"><a href="#fn:1" rel="footnote">1</a>'
        '</sup>.\n\n<div class="footnotes"><hr /><ol><li id="fn:1">The '
        'note. <a href="#fnref:1" rev="footnote">&#8617;</a></li>'
        "</ol></div>",
        "Text[^1].\n\n[^1]: The note.\n",
    ),
    (
        '<p>A<sup><a href="#n1" id="r1">1</a></sup> B<sup><a '
        'href="#n2" id="r2">2</a></sup></p><ol><li id="n1">One <a '
        'href="#r1">^</a></li><li id="n2">Two</li></ol>',
        "A[^1] B[^2]\n\n[^1]: One\n\n[^2]: Two\n",
    ),
    # Raw HTML Inkwell allows stays HTML.
    (
        "<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd>: H<sub>2</sub>O, x<sup>2</sup>.</p>",
        "Press <kbd>Ctrl</kbd>+<kbd>C</kbd>: H<sub>2</sub>O, x<sup>2</sup>.\n",
    ),
    (
        '<p><abbr title="HyperText Markup Language">HTML</abbr> '
        "<mark>now</mark> <del>old</del> <s>gone</s> <ins>new</ins>"
        "</p>",
        '<abbr title="HyperText Markup Language">HTML</abbr> <mark>'
        "now</mark> <del>old</del> <del>gone</del> <ins>new</ins>\n",
    ),
    (
        "<details><summary>More</summary><p>Hidden.</p></details>",
        "<details>\n<summary>More</summary>\n\nHidden.\n\n</details>\n",
    ),
    # Tables: pipe tables when they fit, HTML when they do not.
    (
        "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody>"
        "<tr><td>1</td><td>2</td></tr></tbody></table>",
        "| a | b |\n| --- | --- |\n| 1 | 2 |\n",
    ),
    (
        '<table class="x"><tr><td colspan="2" style="color:red">'
        "wide</td></tr><tr><td>a</td><td>b</td></tr></table>",
        '<table>\n<tr>\n<td colspan="2">wide</td>\n</tr>\n<tr>\n<td>a</td>'
        "\n<td>b</td>\n</tr>\n</table>\n",
    ),
    # Lists: content indented four spaces, read alike by both dialects.
    (
        "<ul><li>one<ul><li>nested</li></ul></li><li>two</li></ul>",
        "- one\n    - nested\n- two\n",
    ),
    (
        '<ol start="3"><li>three</li><li>four</li></ol>',
        "3. three\n4. four\n",
    ),
    (
        "<blockquote><p>Quoted.</p><cite>Someone</cite></blockquote>",
        "> Quoted.\n>\n> *Someone*\n",
    ),
    # Text that Markdown would read as syntax is escaped, lightly.
    (
        "<p>1. not a list</p><p># not a heading</p><p>- not an item</p>",
        "1\\. not a list\n\n\\# not a heading\n\n\\- not an item\n",
    ),
    (
        "<p>&lt;script&gt; is text, &amp;amp; too; 2*3 and __init__ and snake_case</p>",
        "&lt;script> is text, &amp;amp; too; 2\\*3 and \\_\\_init\\_\\_ "
        "and snake_case\n",
    ),
    (
        "<p>Not a [^1] note, not a [link](x).</p>",
        "Not a \\[^1\\] note, not a \\[link\\](x).\n",
    ),
]

ATTACHMENTS = {7: AttachedImage("/7.jpg", "Seven"), 8: AttachedImage("/8.jpg")}


@pytest.mark.parametrize(("wordpress", "markdown"), CONVERSIONS)
def test_each_wordpress_construct_becomes_its_markdown(wordpress, markdown):
    assert convert(wordpress, attachments=ATTACHMENTS).markdown == markdown


def test_core_footnotes_become_markdown_footnotes_in_reading_order():
    content = (
        '<p>B<sup data-fn="b" class="fn"><a href="#b" id="b-link">1</a></sup> '
        'A<sup data-fn="a" class="fn"><a href="#a" id="a-link">2</a></sup> '
        'B again<sup data-fn="b" class="fn"><a href="#b" id="b-link">1</a></sup>'
        "</p>\n<!-- wp:footnotes /-->"
    )
    notes = [{"id": "a", "content": "Note <em>A</em>."}, {"id": "b", "content": "B."}]

    markdown = convert(content, footnotes=notes).markdown

    assert markdown == "B[^1] A[^2] B again[^1]\n\n[^1]: B.\n\n[^2]: Note *A*.\n"


def test_images_go_through_the_url_hook_and_are_listed_as_found():
    content = (
        f'<a href="{UPLOADS}/f.png"><img src="{UPLOADS}/f-300x200.png" '
        f'srcset="{UPLOADS}/f-1024x683.png 1024w" alt="F" /></a>'
    )
    moved = {f"{UPLOADS}/f.png": "/media/f.png"}

    def hook(url):
        return moved.get(original_image_url(url), url)

    conversion = convert(content, image_url=hook)

    assert conversion.markdown == "[![F](/media/f.png)](/media/f.png)\n"
    assert conversion.image_urls == (f"{UPLOADS}/f.png", f"{UPLOADS}/f-300x200.png")


def test_a_mapping_rewrites_the_urls_it_knows_and_leaves_the_rest():
    content = '<img src="/a.png" alt="A"><img src="/b.png" alt="B">'

    markdown = convert(content, image_url={"/a.png": "/media/a.png"}).markdown

    assert markdown == "![A](/media/a.png)![B](/b.png)\n"


@pytest.mark.parametrize(
    ("url", "original"),
    [
        (f"{UPLOADS}/pic-300x200.png", f"{UPLOADS}/pic.png"),
        (f"{UPLOADS}/pic-1024x768.jpeg?resize=1", f"{UPLOADS}/pic.jpeg?resize=1"),
        (f"{UPLOADS}/pic.png", f"{UPLOADS}/pic.png"),
        (f"{UPLOADS}/1920x1080.png", f"{UPLOADS}/1920x1080.png"),
        (f"{UPLOADS}/big-scaled.jpg", f"{UPLOADS}/big-scaled.jpg"),
    ],
)
def test_resized_variant_names_map_to_the_original(url, original):
    assert original_image_url(url) == original


def test_wpautop_makes_paragraphs_and_leaves_code_alone():
    text = "One\ntwo\n\n<pre>a\n\nb</pre>\n\nThree"

    assert wpautop(text) == "<p>One<br />\ntwo</p>\n<pre>a\n\nb</pre>\n<p>Three</p>\n"


@pytest.fixture(scope="module")
def blog():
    return read_export(fixture_path("blog.xml"))


def test_an_exports_gallery_shows_the_posts_attached_images(blog):
    classic = next(item for item in blog.items if item.wp_id == 42)

    markdown = ExportConverter(blog).body(classic).markdown

    image = f"![A stack frame]({UPLOADS}/frame.png)"
    assert f"The frame after the prologue\n\n{image}\n\n" in markdown


def test_the_block_editor_fixture_converts_to_this_markdown(blog):
    post = next(item for item in blog.items if item.wp_id == 101)

    markdown = ExportConverter(blog).body(post).markdown

    assert markdown.startswith(
        "The compiler turns a small function into a handful of "
        "instructions[^1], and the calling convention decides the rest.\n\n"
        "<!--more Read the listing-->\n\n## The listing\n\n```c\n"
    )
    assert markdown.endswith(
        "[^1]: Four, for `add` at **-O2**.\n\n"
        "[^2]: From GNU binutils, see [its manual]"
        "(https://sourceware.org/binutils/).\n"
    )


def test_a_manual_excerpt_converts_too(blog):
    classic = next(item for item in blog.items if item.wp_id == 42)
    converter = ExportConverter(blog)

    assert converter.excerpt(classic).markdown == (
        "How a call frame is built, *instruction by instruction*.\n"
    )
    assert converter.excerpt(blog.items[0]).markdown == ""


def text_mismatches(export):
    """Return {slug: (Inkwell's text, WordPress's)} for posts that differ."""
    converter = ExportConverter(export)
    mismatches = {}
    for item in export.of_type("post") + export.of_type("page"):
        markdown = converter.body(item).markdown
        shown = visible_text(render_post(markdown, post_id=item.wp_id).body_html)
        expected = visible_text(wordpress_html(item.content, item.footnotes))
        if shown != expected:
            mismatches[item.slug or item.wp_id] = (shown, expected)
    return mismatches


def test_fixture_posts_and_pages_render_to_the_text_wordpress_showed(blog):
    assert text_mismatches(blog) == {}


def test_the_cut_survives_into_inkwells_excerpt(blog):
    post = next(item for item in blog.items if item.wp_id == 101)

    rendered = render_post(ExportConverter(blog).body(post).markdown, post_id=1)

    assert rendered.continue_text == "Read the listing"
    assert "handful of instructions" in rendered.excerpt_html
    assert "The listing" not in rendered.excerpt_html


def test_footnotes_and_code_languages_survive_into_inkwells_html(blog):
    post = next(item for item in blog.items if item.wp_id == 101)

    html = render_post(ExportConverter(blog).body(post).markdown, post_id=1).body_html

    assert 'href="#fn-1-1"' in html and 'href="#fn-1-2"' in html
    assert "Four, for <code>add</code> at <strong>-O2</strong>." in html
    assert '<div class="codehilite">' in html


# Every post and page of WordPress's own test exports. The theme test data
# holds dynamic blocks too (latest posts, search, archives): WordPress fills
# them in when it shows a post, so neither side has text for them.
@pytest.mark.parametrize(
    "name",
    [
        "theme-unit-test-data.xml",
        "small-export.xml",
        "valid-wxr-1.0.xml",
        "valid-wxr-1.1.xml",
        "wxr-simple.xml",
        "wxr-utf-8-challenges.xml",
        "post-content-blank-lines.xml",
        "slashes.xml",
        "cdata-edge.xml",
    ],
)
def test_real_exports_render_to_the_text_wordpress_showed(name):
    export = read_export(shared_path(name))

    assert text_mismatches(export) == {}
