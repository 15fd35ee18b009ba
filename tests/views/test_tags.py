"""The tag list and the tag pages."""

import re

import pytest

from tests.factories import (
    PostFactory,
    TagFactory,
    days_ago,
)
from tests.html import parse, titles

pytestmark = pytest.mark.django_db


def test_the_tag_list_counts_only_visible_posts(client):
    c, asm = TagFactory(name="C"), TagFactory(name="Assembly")
    TagFactory(name="Unused")
    hidden = TagFactory(name="Hidden")
    PostFactory.create_batch(2, tags=[c])
    PostFactory(tags=[c, asm])
    PostFactory(tags=[c, hidden], draft=True)
    PostFactory(tags=[hidden], scheduled=True)

    page = client.get("/tags/").content.decode()

    assert re.findall(r'rel="tag">([^<]*)</a> <span class="count">\((\d+)', page) == [
        ("Assembly", "1"),
        ("C", "3"),
    ]
    assert "Unused" not in page and "Hidden" not in page


def test_a_tag_page_lists_its_visible_posts_with_the_tag_description(client):
    tag = TagFactory(name="Linux", description="The kernel and around it.")
    PostFactory(title="Tagged", tags=[tag])
    PostFactory(title="Untagged")
    PostFactory(title="Tagged draft", tags=[tag], draft=True)

    response = client.get(tag.get_absolute_url())

    assert titles(response) == ["Tagged"]
    assert "The kernel and around it." in response.content.decode()


def test_a_tag_page_is_paginated(client, settings):
    settings.INKWELL_PAGE_SIZE = 2
    tag = TagFactory()
    for n in range(3):
        PostFactory(title=f"Post {n}", tags=[tag], published_at=days_ago(n))

    second = client.get(f"/tags/{tag.slug}/page/2/")

    assert titles(second) == ["Post 2"]
    assert parse(second).head_links["prev"] == [f"/tags/{tag.slug}/"]
    assert client.get(f"/tags/{tag.slug}/page/1/")["Location"] == f"/tags/{tag.slug}/"
    assert client.get(f"/tags/{tag.slug}/page/3/").status_code == 404


def test_a_tag_without_visible_posts_or_unknown_is_a_404(client):
    tag = TagFactory()
    PostFactory(tags=[tag], draft=True)

    assert client.get(tag.get_absolute_url()).status_code == 404
    assert client.get("/tags/no-such-tag/").status_code == 404
