"""Every URL rewrite: the feed copies' absolute URLs, and `absolute_url`.

Pure rendering, no database: `render_post` makes the feed HTML in the same
pass as the site's.
"""

import pytest

from blog.rendering import absolute_url, render_post

SITE_URL = "https://blog.example.com"
POST_URL = "/posts/a-post/"


def feed_html(markdown_text, **kwargs):
    return render_post(
        markdown_text, post_id=12, post_url=POST_URL, site_url=SITE_URL, **kwargs
    )


@pytest.mark.parametrize(
    ("markdown_text", "expected"),
    [
        pytest.param(
            "Claim.[^1]\n\n[^1]: Note.",
            'href="https://blog.example.com/posts/a-post/#fn-12-1"',
            id="footnote-reference",
        ),
        pytest.param(
            "Claim.[^1]\n\n[^1]: Note.",
            'href="https://blog.example.com/posts/a-post/#fnref-12-1"',
            id="footnote-back-link",
        ),
        pytest.param(
            "## Head",
            'href="https://blog.example.com/posts/a-post/#h-12-head"',
            id="heading-permalink",
        ),
        pytest.param(
            "![x](/media/2026/11/x.png)",
            'src="https://blog.example.com/media/2026/11/x.png"',
            id="root-relative-image",
        ),
        pytest.param(
            "![x](diagram.png)",
            'src="https://blog.example.com/posts/a-post/diagram.png"',
            id="relative-image",
        ),
        pytest.param(
            "[up](../other/)",
            'href="https://blog.example.com/posts/other/"',
            id="parent",
        ),
        pytest.param(
            "[b](/posts/b/?page=2&sort=new)",
            'href="https://blog.example.com/posts/b/?page=2&amp;sort=new"',
            id="query",
        ),
    ],
)
def test_the_feed_copy_has_every_href_and_src_absolute(markdown_text, expected):
    rendered = feed_html(markdown_text)

    assert expected in rendered.feed_body_html
    assert expected not in rendered.body_html


@pytest.mark.parametrize(
    "markdown_text",
    [
        "[x](https://example.org/x?a=1&b=2)",
        "[x](http://example.org/)",
        "[mail](mailto:ada@example.com)",
        "![y](https://cdn.example.org/y.png)",
    ],
)
def test_absolute_and_mailto_urls_are_left_alone(markdown_text):
    rendered = feed_html(markdown_text)

    assert rendered.feed_body_html == rendered.body_html


def test_text_that_looks_like_a_link_is_left_alone():
    rendered = feed_html('```html\n<a href="/x">link</a> src="y.png"\n```')

    assert rendered.feed_body_html == rendered.body_html


def test_the_feed_excerpt_links_to_the_post_page_absolutely():
    rendered = feed_html("Claim.[^1]\n\n<!--more-->\n\nMore.\n\n[^1]: Note.")

    assert rendered.excerpt_html.count('href="/posts/a-post/#fn-12-1"') == 1
    assert (
        rendered.feed_excerpt_html.count(
            'href="https://blog.example.com/posts/a-post/#fn-12-1"'
        )
        == 1
    )


def test_the_feed_excerpt_of_an_excerpt_field_is_absolute_too():
    rendered = feed_html("Body.", excerpt="![i](pic.png)")

    assert rendered.feed_excerpt_html == (
        '<p><img alt="i" src="https://blog.example.com/posts/a-post/pic.png"></p>'
    )


def test_without_a_post_address_there_is_no_feed_copy():
    rendered = render_post("[a](pic.png)")

    assert rendered.feed_body_html == rendered.feed_excerpt_html == ""


def test_absolute_url_joins_a_path_to_the_site_url(settings):
    settings.SITE_URL = "https://blog.example.com"

    assert absolute_url("/posts/a/") == "https://blog.example.com/posts/a/"


def test_absolute_url_takes_a_site_url_without_settings():
    assert absolute_url("/a/", "https://b.example/") == "https://b.example/a/"
