"""The post page, its meta data and the staff preview."""

import json
import re
from datetime import UTC, datetime

import pytest
import time_machine

from tests.factories import (
    PostFactory,
    TagFactory,
    cut_post,
    days_ago,
)

pytestmark = pytest.mark.django_db


def test_the_post_page_shows_the_whole_post_with_its_details(client):
    tag = TagFactory(name="Assembly")
    post = cut_post(title="A post", tags=[tag])

    response = client.get(post.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="post-title">A post</h1>' in page
    assert "Above the cut." in page and "Below the cut." in page
    # To the second: HTML refuses more than three digits of a second.
    seconds = post.published_at.replace(microsecond=0).isoformat()
    assert f'<time datetime="{seconds}">' in page
    assert "1 min read" in page
    assert f'<a href="{tag.get_absolute_url()}" rel="tag">Assembly</a>' in page
    assert "Updated" not in page


def test_the_post_page_says_updated_when_edited_days_after_publication(client):
    with time_machine.travel(datetime(2024, 3, 1, 12, tzinfo=UTC), tick=False):
        post = PostFactory(published_at=datetime(2024, 3, 1, 12, tzinfo=UTC))
    with time_machine.travel(datetime(2024, 3, 1, 18, tzinfo=UTC), tick=False):
        post.save()
    same_day = client.get(post.get_absolute_url()).content.decode()
    with time_machine.travel(datetime(2024, 3, 5, 9, tzinfo=UTC), tick=False):
        post.save()
    later = client.get(post.get_absolute_url()).content.decode()

    assert "Updated" not in same_day
    assert 'Updated <time datetime="2024-03-05T09:00:00+00:00">5 March 2024' in later


def test_the_post_page_links_to_the_nearest_visible_posts(client):
    oldest = PostFactory(title="Oldest", published_at=days_ago(10))
    PostFactory(title="Old draft", published_at=days_ago(8), draft=True)
    post = PostFactory(title="Middle", published_at=days_ago(5))
    PostFactory(title="Newer draft", published_at=days_ago(3), draft=True)
    newest = PostFactory(title="Newest", published_at=days_ago(1))
    PostFactory(title="Scheduled", scheduled=True)

    page = client.get(post.get_absolute_url()).content.decode()

    assert f'<a href="{oldest.get_absolute_url()}">Oldest</a>' in page
    assert f'<a href="{newest.get_absolute_url()}">Newest</a>' in page
    assert "draft" not in page and "Scheduled" not in page


def test_posts_published_at_the_same_time_still_have_neighbours(client):
    moment = days_ago(1)
    first, second, third = PostFactory.create_batch(3, published_at=moment)

    page = client.get(second.get_absolute_url()).content.decode()

    assert first.get_absolute_url() in page
    assert third.get_absolute_url() in page


def test_the_post_page_has_canonical_url_description_and_social_meta(client, settings):
    settings.SITE_URL = "https://blog.example.com"
    post = PostFactory(
        title="Meta & more",
        body="First words of the post.[^1]\n\n[^1]: A footnote.",
    )

    page = client.get(post.get_absolute_url()).content.decode()

    url = f"https://blog.example.com/posts/{post.slug}/"
    assert f'<link rel="canonical" href="{url}">' in page
    assert '<meta name="description" content="First words of the post.">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:title" content="Meta &amp; more">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta name="twitter:card" content="summary">' in page


def test_the_post_page_describes_itself_in_json_ld(client, settings, site_identity):
    settings.SITE_URL = "https://blog.example.com"
    post = PostFactory(title="</script><script>alert(1)</script> & co")

    page = client.get(post.get_absolute_url()).content.decode()

    scripts = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL
    )
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == post.title
    assert data["url"] == f"https://blog.example.com/posts/{post.slug}/"
    assert data["author"] == {"@type": "Person", "name": "Tess Author"}
    published_at = post.published_at.replace(microsecond=0)
    assert datetime.fromisoformat(data["datePublished"]) == published_at
    assert "<script>alert" not in page


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_unpublished_posts_are_a_404_for_readers(client, django_user_model, trait):
    post = PostFactory(**{trait: True})
    reader = django_user_model.objects.create_user("reader", password="pw")

    anonymous = client.get(post.get_absolute_url())
    client.force_login(reader)
    logged_in = client.get(post.get_absolute_url())

    assert anonymous.status_code == 404
    assert logged_in.status_code == 404


@pytest.mark.parametrize(
    "trait, message", [("draft", "is a draft"), ("scheduled", "is scheduled for")]
)
def test_staff_preview_unpublished_posts_under_a_banner(
    client, admin_user, trait, message
):
    post = PostFactory(title="Work in progress", **{trait: True})
    client.force_login(admin_user)

    response = client.get(post.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Not published." in page
    assert message in page
    assert '<meta name="robots" content="noindex">' in page
    assert "application/ld+json" not in page


def test_staff_see_published_posts_without_a_banner(client, admin_user):
    post = PostFactory()
    client.force_login(admin_user)

    assert "Not published." not in client.get(post.get_absolute_url()).content.decode()


def test_an_unknown_slug_is_a_404(client):
    assert client.get("/posts/no-such-post/").status_code == 404


def test_a_post_with_a_slug_in_any_script_has_a_page(client):
    post = PostFactory(title="Привет, мир")

    response = client.get(post.get_absolute_url())

    assert response.status_code == 200
    assert "Привет, мир" in response.content.decode()
