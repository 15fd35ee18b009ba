"""The index: featured slots, then the stream, paginated."""

import re

import pytest

from blog.models import FeaturedSlot, Post
from tests.factories import (
    FeaturedSlotFactory,
    PostFactory,
    TagFactory,
    bulk_posts,
    cut_post,
    days_ago,
)
from tests.html import parse, titles

pytestmark = pytest.mark.django_db


def test_featured_slots_come_first_in_position_order_under_their_labels(client):
    second = FeaturedSlotFactory(position=2, post=cut_post(title="Second"))
    first = FeaturedSlotFactory(
        position=1, post=cut_post(title="First"), label="Start here"
    )
    PostFactory(title="Stream post", published_at=days_ago(0))

    response = client.get("/")

    labels = re.findall(r'<p class="featured-label">([^<]*)</p>', response.text)
    assert titles(response) == ["First", "Second", "Stream post"]
    assert labels == ["Start here", "Featured post"]
    assert first.display_label == "Start here"
    assert second.display_label == "Featured post"


def test_a_featured_post_is_not_repeated_in_the_stream(client, settings):
    settings.INKWELL_PAGE_SIZE = 2
    featured = cut_post(title="The featured one", published_at=days_ago(0))
    FeaturedSlotFactory(post=featured)
    for n in range(3):
        PostFactory(title=f"Stream {n}", published_at=days_ago(n + 1))

    first_page = client.get("/")
    second_page = client.get("/page/2/")

    assert titles(first_page) == ["The featured one", "Stream 0", "Stream 1"]
    assert titles(second_page) == ["Stream 2"]


def test_featured_posts_show_their_excerpt_and_continue_link(client):
    post = cut_post(title="Cut", continue_text="Keep reading")
    FeaturedSlotFactory(post=post)

    page = client.get("/").content.decode()

    assert "Above the cut." in page
    assert "Below the cut." not in page
    assert f'<a href="{post.continue_url}">Keep reading' in page
    assert post.continue_url == f"/posts/{post.slug}/#more-{post.pk}"


def test_a_featured_post_without_a_cut_shows_its_opening_and_a_continue_link(client):
    words = " ".join(f"word{n}" for n in range(200))
    post = PostFactory(title="Uncut", body=f"{words}\n\nThe closing paragraph.")
    FeaturedSlotFactory(post=post)

    page = client.get("/").content.decode()

    assert "word0 word1" in page
    assert "word199" not in page
    assert "The closing paragraph." not in page
    assert f'<a href="/posts/{post.slug}/">Continue reading' in page


def test_stream_posts_with_a_cut_show_the_excerpt_and_default_continue_text(client):
    post = cut_post(title="Cut")

    page = client.get("/").content.decode()

    assert "Above the cut." in page
    assert "Below the cut." not in page
    assert f'<a href="{post.continue_url}">Continue reading' in page


def test_stream_posts_without_a_cut_are_shown_whole(client):
    PostFactory(body="First paragraph.\n\nSecond paragraph.\n\n## A heading")

    page = client.get("/").content.decode()

    assert "First paragraph." in page
    assert "Second paragraph." in page
    assert "A heading" in page
    assert "Continue reading" not in page


def test_stream_posts_show_their_tags_and_date(client):
    tag = TagFactory(name="Compilers")
    post = PostFactory(tags=[tag])

    page = client.get("/").content.decode()

    assert f'<a href="/tags/{tag.slug}/" rel="tag">Compilers</a>' in page
    # To the second: HTML refuses more than three digits of a second.
    seconds = post.published_at.replace(microsecond=0).isoformat()
    assert f'<time datetime="{seconds}">' in page


def test_the_index_shows_neither_drafts_nor_scheduled_posts(client):
    PostFactory(title="Visible")
    PostFactory(title="A draft", draft=True)
    scheduled = cut_post(title="Scheduled", scheduled=True)
    FeaturedSlotFactory(post=scheduled)

    response = client.get("/")

    assert titles(response) == ["Visible"]


def test_the_index_of_an_empty_blog_says_so(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "Nothing published yet." in response.content.decode()


def test_the_stream_is_newest_first_and_paginated_by_the_page_size(client, settings):
    settings.INKWELL_PAGE_SIZE = 3
    for n in range(7):
        PostFactory(title=f"Post {n}", published_at=days_ago(n))

    pages = [titles(client.get(url)) for url in ("/", "/page/2/", "/page/3/")]

    assert pages == [
        ["Post 0", "Post 1", "Post 2"],
        ["Post 3", "Post 4", "Post 5"],
        ["Post 6"],
    ]


def test_pages_link_to_their_neighbours_in_the_body_and_head(client, settings):
    settings.INKWELL_PAGE_SIZE = 1
    PostFactory.create_batch(3)

    first, middle, last = (
        parse(client.get(url)) for url in ("/", "/page/2/", "/page/3/")
    )

    assert "prev" not in first.head_links
    assert first.head_links["next"] == ["/page/2/"]
    assert middle.head_links["prev"] == ["/"]
    assert middle.head_links["next"] == ["/page/3/"]
    assert last.head_links["prev"] == ["/page/2/"]
    assert "next" not in last.head_links
    assert {"/", "/page/3/"} <= set(middle.links)


def test_page_one_redirects_to_the_index(client):
    response = client.get("/page/1/")

    assert response.status_code == 301
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "url", ["/page/0/", "/page/3/", "/page/99999999999999999999/", "/page/abc/"]
)
def test_a_bad_page_number_is_a_404(client, settings, url):
    settings.INKWELL_PAGE_SIZE = 1
    PostFactory.create_batch(2)

    assert client.get(url).status_code == 404


def test_a_page_number_in_the_query_string_is_ignored(client, settings):
    settings.INKWELL_PAGE_SIZE = 1
    PostFactory(title="Newest", published_at=days_ago(0))
    PostFactory(title="Older", published_at=days_ago(1))

    assert titles(client.get("/?page=2")) == ["Newest"]


def test_featured_slots_are_only_on_the_first_page(client, settings):
    settings.INKWELL_PAGE_SIZE = 1
    FeaturedSlotFactory(post=cut_post(title="Featured"))
    PostFactory.create_batch(2)

    assert "Featured" not in titles(client.get("/page/2/"))


def test_the_demo_index_shows_its_slots_in_order_with_their_labels(client, demo_blog):
    slots = list(FeaturedSlot.objects.select_related("post"))

    response = client.get("/")

    page = response.content.decode()
    shown = titles(response)
    assert [slot.position for slot in slots] == [1, 2, 3, 4]
    assert shown[:4] == [slot.post.title for slot in slots]
    for slot in slots:
        assert (
            f'<a href="{slot.post.continue_url}">{slot.post.continue_link_text}' in page
        )
    labels = re.findall(r'<p class="featured-label">([^<]*)</p>', page)
    assert labels == [slot.display_label for slot in slots]
    assert "Start here" in labels
    assert len(shown) == len(set(shown)), "a featured post is shown twice"


def test_the_demo_stream_shows_uncut_posts_whole(client, demo_blog):
    page = client.get("/").content.decode()

    for post in Post.objects.published().not_featured().filter(excerpt_html=""):
        assert post.body_html in page


def test_the_large_blog_pages_all_the_way_to_the_last(client, settings):
    bulk_posts(25)
    settings.INKWELL_PAGE_SIZE = 10

    assert len(titles(client.get("/page/3/"))) == 5
    assert client.get("/page/4/").status_code == 404


# Two posts' footnotes on one page


def test_two_whole_posts_with_footnote_1_on_the_index_share_no_id(client):
    body = "## Notes\n\nA claim.[^1]\n\n[^1]: The note."
    first = PostFactory(title="First", body=body, published_at=days_ago(1))
    second = PostFactory(title="Second", body=body, published_at=days_ago(2))

    page = parse(client.get("/"))

    assert {f"fn-{first.pk}-1", f"fn-{second.pk}-1"} <= set(page.ids)
    assert {f"fnref-{first.pk}-1", f"fnref-{second.pk}-1"} <= set(page.fragments)
    assert len(page.ids) == len(set(page.ids))
    assert set(page.fragments) <= set(page.ids)


def test_a_whole_post_on_the_index_keeps_its_notes_inside_it(client):
    from bs4 import BeautifulSoup

    PostFactory(title="Noted", body="A claim.[^1]\n\n[^1]: The note.")
    PostFactory(title="Next", body="Plain.", published_at=days_ago(3))

    soup = BeautifulSoup(client.get("/").content, "html.parser")
    notes = soup.select_one(".footnote")

    # Inside the post's own article, under a small heading, with no rule
    # that would read as the line between two posts.
    article = notes.find_parent("article")
    assert article.select_one(".post-title").get_text(strip=True) == "Noted"
    assert notes.select_one(".footnote-heading").get_text() == "Notes"
    assert notes.find("hr") is None
    assert [link["href"][1:] for link in notes.select("a")] == [
        ref["id"] for ref in article.select("sup[id]")
    ]
