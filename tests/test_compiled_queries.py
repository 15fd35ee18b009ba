"""Queries the ORM compiles once per process (blog.compiled_queries), and
the post page's, which is one.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.compiled_queries import CompiledQuery
from blog.models import Post
from blog.views import VISIBLE_POST_PAGE, post_page_query
from tests.factories import PostFactory, TagFactory

pytestmark = pytest.mark.django_db

ANNOTATIONS = ("tag_ids", "older_title", "older_slug", "newer_title", "newer_slug")


def page_fields(post):
    loaded = {name: getattr(post, name) for name in post.__dict__ if name[0] != "_"}
    return {name: value for name, value in loaded.items() if name != "id"} | {
        "pk": post.pk
    }


@pytest.fixture
def stream():
    now = timezone.now()
    tags = [TagFactory(name="Compilers"), TagFactory(name="Linkers")]
    return [
        PostFactory(slug="oldest", published_at=now - timedelta(days=3)),
        PostFactory(slug="middle", published_at=now - timedelta(days=2), tags=tags),
        PostFactory(slug="newest", published_at=now - timedelta(days=1)),
        PostFactory(slug="coming", published_at=now + timedelta(hours=1)),
    ]


def test_the_post_page_query_reads_what_the_orm_reads(stream):
    now = timezone.now()
    for slug in ("oldest", "middle", "newest"):
        (compiled,) = VISIBLE_POST_PAGE.run(slug=slug, now=now)
        orm = post_page_query(Post.objects.published(now), slug, now).get()

        assert page_fields(compiled) == page_fields(orm), slug
        assert compiled.get_deferred_fields() == orm.get_deferred_fields()
        for name in ANNOTATIONS:
            assert getattr(compiled, name) == getattr(orm, name), (slug, name)


def test_each_run_asks_with_its_own_slug_and_moment(stream):
    now = timezone.now()
    (middle,) = VISIBLE_POST_PAGE.run(slug="middle", now=now)
    (newest,) = VISIBLE_POST_PAGE.run(slug="newest", now=now)

    assert (middle.older_slug, middle.newer_slug) == ("oldest", "newest")
    # The scheduled post is not the newest post's neighbour yet,
    assert newest.newer_slug is None
    # nor found,
    assert VISIBLE_POST_PAGE.run(slug="coming", now=now) == []
    # until its time comes.
    later = now + timedelta(hours=2)
    assert VISIBLE_POST_PAGE.run(slug="newest", now=later)[0].newer_slug == "coming"
    assert VISIBLE_POST_PAGE.run(slug="coming", now=later)[0].slug == "coming"


def test_a_slug_is_a_value_never_sql(stream):
    now = timezone.now()

    assert VISIBLE_POST_PAGE.run(slug="x' OR '1'='1", now=now) == []
    assert VISIBLE_POST_PAGE.run(slug="%s", now=now) == []


def test_the_queryset_is_built_once(stream):
    builds = []

    def build(slug, now):
        builds.append(slug)
        return Post.objects.published(now).filter(slug=slug)

    query = CompiledQuery(build, texts=["slug"], moments=["now"])
    now = timezone.now()

    assert [post.slug for post in query.run(slug="oldest", now=now)] == ["oldest"]
    assert [post.slug for post in query.run(slug="newest", now=now)] == ["newest"]
    assert len(builds) == 1


def test_a_stand_in_the_sql_does_not_hold_is_an_error(stream):
    # The ORM folds the slug into something else: a wrong result otherwise.
    query = CompiledQuery(
        lambda slug: Post.objects.filter(slug__iexact=slug.upper()), texts=["slug"]
    )

    with pytest.raises(ValueError, match="does not hold its slug"):
        query.run(slug="oldest")


def test_a_number_and_a_page_of_the_results(stream):
    tag = stream[1].tags.first()
    query = CompiledQuery(
        lambda tag, moment: Post.objects.published_before(moment).filter(tags=tag),
        numbers=["tag"],
        moments=["moment"],
    )
    later = timezone.now() + timedelta(days=1)
    newest_first = ["coming", "newest", "middle", "oldest"]

    assert [post.slug for post in query.run(tag=tag.pk, moment=later)] == ["middle"]
    assert query.run(tag=tag.pk + 1000, moment=later) == []
    every = CompiledQuery(
        lambda moment: Post.objects.published_before(moment), moments=["moment"]
    )
    pages = [
        [post.slug for post in every.run(moment=later, offset=offset, limit=2)]
        for offset in (0, 2, 4)
    ]
    assert pages == [newest_first[:2], newest_first[2:], []]


def tags_page_queries():
    def of_tag(tag, moment):
        # A filter through a join: a post is in the page once.
        return Post.objects.published_before(moment).filter(tags=tag)

    def rows(posts):
        return posts.for_lists().with_tag_ids()

    direct = CompiledQuery(
        lambda tag, moment: rows(of_tag(tag, moment)),
        numbers=["tag"],
        moments=["moment"],
    )
    by_ids = CompiledQuery(of_tag, numbers=["tag"], moments=["moment"], page_rows=rows)
    return direct, by_ids


def test_a_page_found_by_its_ids_is_the_page_of_the_list():
    now = timezone.now()
    tag, other = TagFactory(name="Compilers"), TagFactory(name="Linkers")
    posts = [
        PostFactory(published_at=now - timedelta(hours=hours), tags=[tag, other])
        for hours in range(1, 8)
    ]
    PostFactory(published_at=now - timedelta(minutes=30))  # not the tag's
    direct, by_ids = tags_page_queries()
    newest_first = [post.pk for post in reversed(sorted(posts, key=by_date))]

    for offset in range(0, 9, 3):
        page = by_ids.run(tag=tag.pk, moment=now, offset=offset, limit=3)
        assert [post.pk for post in page] == newest_first[offset : offset + 3]
        same = direct.run(tag=tag.pk, moment=now, offset=offset, limit=3)
        assert [page_fields(post) for post in page] == [
            page_fields(post) for post in same
        ]
        assert all(post.get_deferred_fields() for post in page)


def by_date(post):
    return (post.published_at, post.pk)


def test_a_query_of_page_rows_is_asked_for_a_page(stream):
    _direct, by_ids = tags_page_queries()

    with pytest.raises(ValueError, match="asked for a page"):
        by_ids.run(tag=1, moment=timezone.now())


def test_a_deep_page_reads_the_rows_of_its_posts_only():
    # On PostgreSQL a skipped row's per-row subquery (its tags' ids) would
    # run before the row is thrown away: hundreds of them on a deep page.
    if connection.vendor != "postgresql":
        pytest.skip("SQLite skips a row before working out its columns")
    now = timezone.now()
    tag = TagFactory(name="Compilers")
    for hours in range(1, 41):
        PostFactory(published_at=now - timedelta(hours=hours), tags=[tag])
    _direct, by_ids = tags_page_queries()

    with CaptureQueriesContext(connection) as queries:
        page = by_ids.run(tag=tag.pk, moment=now, offset=30, limit=5)
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query['sql']}")
        (plan,) = cursor.fetchone()[0]

    assert len(page) == 5
    assert tag_ids_runs(plan["Plan"]) == [5]


def tag_ids_runs(node):
    """Return the loops of every plan node under `node` that reads
    blog_post_tags for one post (the tag-ids subquery).
    """
    runs = []
    if node.get("Subplan Name", "").startswith("SubPlan") and reads_post_tags(node):
        runs.append(node["Actual Loops"])
    for child in node.get("Plans", []):
        runs.extend(tag_ids_runs(child))
    return runs


def reads_post_tags(node):
    return node.get("Relation Name") == "blog_post_tags" or any(
        reads_post_tags(child) for child in node.get("Plans", [])
    )


def test_a_query_is_sliced_when_it_runs_not_when_it_is_built(stream):
    query = CompiledQuery(
        lambda slug: Post.objects.filter(slug=slug)[:1], texts=["slug"]
    )

    with pytest.raises(ValueError, match="sliced when it runs"):
        query.run(slug="oldest")


def test_the_feeds_items_are_the_feeds_posts_with_their_authors(stream, settings):
    from blog.feeds import SITE_ITEMS, TAG_ITEMS, author_full_name, feed_posts
    from tests.factories import UserFactory

    stream[2].author = UserFactory(first_name="Ada", last_name="Lovelace")
    stream[2].save()
    now = timezone.now()

    site = SITE_ITEMS.run(now=now, offset=0, limit=settings.INKWELL_FEED_SIZE)
    tagged = TAG_ITEMS.run(slug="compilers", now=now, offset=0, limit=20)

    assert [post.pk for post in site] == [post.pk for post in feed_posts(now=now)]
    assert [post.slug for post in tagged] == ["middle"]
    names = {post.slug: author_full_name(post) for post in site}
    assert names["newest"] == "Ada Lovelace"
    assert names["oldest"] == (
        stream[0].author.get_full_name() if stream[0].author else ""
    )
