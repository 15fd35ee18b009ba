"""bench/generate_blog.py: the benchmark's blog, written fast but stored
exactly as saving each post would store it.
"""

import importlib.util
from pathlib import Path

import pytest

from blog.models import FeaturedSlot, Page, Post

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "generate_blog.py"


@pytest.fixture(scope="module")
def generate_blog():
    spec = importlib.util.spec_from_file_location("generate_blog", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def quiet(_text):
    pass


def test_generates_the_blog_it_says(generate_blog):
    made = generate_blog.generate(12, seed=3, distinct_bodies=2, out=quiet)

    assert made["posts"] == 12
    assert Post.objects.published().count() == 12
    assert Post.objects.drafts().count() == generate_blog.DRAFTS
    assert Post.objects.scheduled().count() == generate_blog.SCHEDULED
    assert {post.tags.count() for post in Post.objects.all()} == {3}
    assert FeaturedSlot.objects.count() == 4
    assert Page.objects.published().filter(show_in_navigation=True).count() == 2
    assert made["words_per_post"] > 1400


def test_each_post_stores_what_saving_it_would(generate_blog, settings):
    generate_blog.generate(5, seed=1, distinct_bodies=2, out=quiet)
    # Two posts that share a rendered body, each with its own id and URL.
    for post in Post.objects.published()[:3]:
        stored = post.rendered_fields()

        post.render()

        assert post.rendered_fields() == stored
        assert generate_blog.PLACEHOLDER_SLUG not in stored["feed_body_html"]
        assert str(generate_blog.PLACEHOLDER_ID) not in stored["body_html"]


def test_refuses_a_blog_with_posts_unless_reset(generate_blog):
    generate_blog.generate(3, distinct_bodies=1, out=quiet)

    with pytest.raises(ValueError, match="already has posts"):
        generate_blog.generate(3, distinct_bodies=1, out=quiet)

    generate_blog.generate(4, distinct_bodies=1, reset=True, out=quiet)
    assert Post.objects.published().count() == 4


def test_new_posts_after_it_get_fresh_ids(generate_blog, site_identity):
    generate_blog.generate(3, distinct_bodies=1, out=quiet)

    post = Post.objects.create(title="After", body="Text.")

    assert post.pk > Post.objects.exclude(pk=post.pk).order_by("-pk").first().pk
