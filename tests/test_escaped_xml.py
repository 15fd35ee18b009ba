"""Feed texts escaped once and kept by their digest (blog.escaped_xml)."""

from django.core.cache import cache

from blog.escaped_xml import _key, escaped_many


def test_each_text_comes_back_escaped_in_its_place():
    # The same text twice (a post without an excerpt is its own summary)
    # comes back twice.
    texts = ["<p>1 < 2 & 3</p>", "<b>bell\x07</b>", "<p>1 < 2 & 3</p>"]

    assert escaped_many(texts) == [
        "&lt;p&gt;1 &lt; 2 &amp; 3&lt;/p&gt;",
        "&lt;b&gt;bell&lt;/b&gt;",
        "&lt;p&gt;1 &lt; 2 &amp; 3&lt;/p&gt;",
    ]


def test_an_escaped_text_is_kept_under_its_digest_and_read_from_there():
    escaped_many(["<p>a & b</p>"])
    assert cache.get(_key("<p>a & b</p>")) == "&lt;p&gt;a &amp; b&lt;/p&gt;"

    cache.set(_key("<p>a & b</p>"), "kept copy")

    assert escaped_many(["<p>a & b</p>", "<p>a & b</p>"]) == ["kept copy", "kept copy"]
