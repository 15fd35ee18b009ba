import pytest

from blog.absolute_urls import absolute_url, absolutize_urls

BASE = "https://blog.example.com/posts/a-post/"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<a href="#fn-12-1">1</a>',
            '<a href="https://blog.example.com/posts/a-post/#fn-12-1">1</a>',
        ),
        (
            '<a class="footnote-backref" href="#fnref-12-1">↩</a>',
            '<a class="footnote-backref" '
            'href="https://blog.example.com/posts/a-post/#fnref-12-1">↩</a>',
        ),
        (
            '<img alt="x" src="/media/2026/11/x.png">',
            '<img alt="x" src="https://blog.example.com/media/2026/11/x.png">',
        ),
        (
            '<img src="diagram.png"/>',
            '<img src="https://blog.example.com/posts/a-post/diagram.png"/>',
        ),
        (
            "<a href='../other/'>up</a>",
            '<a href="https://blog.example.com/posts/other/">up</a>',
        ),
        (
            '<a href="/posts/b/?page=2&amp;sort=new">b</a>',
            '<a href="https://blog.example.com/posts/b/?page=2&amp;sort=new">b</a>',
        ),
    ],
)
def test_relative_urls_in_href_and_src_become_absolute(html, expected):
    assert absolutize_urls(html, BASE) == expected


@pytest.mark.parametrize(
    "html",
    [
        '<a href="https://example.org/x?a=1&amp;b=2">x</a>',
        '<a href="http://example.org/">x</a>',
        '<a href="mailto:ada@example.com">mail</a>',
        '<img alt="" src="https://cdn.example.org/y.png">',
    ],
)
def test_absolute_and_mailto_urls_are_left_alone(html):
    assert absolutize_urls(html, BASE) == html


def test_text_that_looks_like_a_link_is_left_alone():
    html = (
        '<pre><code>&lt;a href="/x"&gt;link&lt;/a&gt; src="y.png"</code></pre>'
        '<p title="a href=/z &gt; b" class="note">href="/w"</p>'
    )

    assert absolutize_urls(html, BASE) == html


def test_a_quoted_greater_than_sign_does_not_end_the_tag():
    html = '<a title="a > b" href="#fn-1-1">1</a>'

    assert absolutize_urls(html, BASE) == (
        '<a title="a > b" href="https://blog.example.com/posts/a-post/#fn-1-1">1</a>'
    )


def test_absolute_url_joins_a_path_to_the_site_url(settings):
    settings.SITE_URL = "https://blog.example.com"

    assert absolute_url("/posts/a/") == "https://blog.example.com/posts/a/"
