from datetime import UTC, datetime, timedelta

import factory
from django.db import connections, router, transaction
from django.utils import timezone

from blog import content_version
from blog.models import FeaturedSlot, Page, Post, SiteIdentity, Tag


class OneChangeFactory(factory.django.DjangoModelFactory):
    """A factory whose object, with what it makes along (a slot's post, a
    post's tags), is written as one change of the content version, as an
    import writes: a post's save alone bumps three times (its row, its
    rendered HTML, its tags), a few milliseconds each, and the suite makes
    thousands of posts.
    """

    class Meta:
        abstract = True

    @classmethod
    def create(cls, **kwargs):
        with content_version.one_bump():
            return super().create(**kwargs)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Tag {n}")


class PostFactory(OneChangeFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Post number {n}")
    body = "Some *Markdown* text."
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

    class Params:
        draft = factory.Trait(status=Post.Status.DRAFT)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(
                lambda: timezone.now() + timedelta(days=1)
            )
        )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


CUT_BODY = "Above the cut.\n\n<!--more-->\n\nBelow the cut."


def cut_post(**kwargs):
    """Create a post whose body is cut with <!--more-->."""
    return PostFactory(body=CUT_BODY, **kwargs)


def days_ago(days):
    return datetime.now(UTC) - timedelta(days=days)


class FeaturedSlotFactory(OneChangeFactory):
    class Meta:
        model = FeaturedSlot

    position = factory.Sequence(lambda n: n + 1)
    post = factory.SubFactory(PostFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"

    username = factory.Sequence(lambda n: f"author{n}")
    first_name = "Grace"
    last_name = "Hopper"


class SiteIdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteIdentity
        django_get_or_create = ("id",)

    id = 1
    title = "Test Blog"
    tagline = "A blog for tests."
    author_name = "Tess Author"
    author_bio = "Writes tests."
    footer_text = "Footer for tests."


def bulk_posts(
    count, *, tags=(), tags_per_post=2, start=None, step=None, author=None, drafts=0
):
    """Create `count` posts quickly: one INSERT, HTML pre-filled.

    Every third post is cut (excerpt and continue link); the others are shown
    whole. Post i gets tags_per_post of `tags`, round robin. With `drafts`
    set to n, every n-th post (the first included) is a draft; the others
    are visible. They skip Post.save(), so nothing is rendered: the stored
    HTML is made up here, with a footnote link for feeds to make absolute.
    """
    start = start or timezone.now() - timedelta(hours=1)
    step = step or timedelta(hours=7)
    posts = [
        Post(
            title=f"Bulk post {n}",
            slug=f"bulk-post-{n}",
            body=f"Body of bulk post {n}.",
            body_html=f'<p>Body of bulk post {n}.<a href="#fn-{n}-1">1</a></p>',
            excerpt_html=f"<p>Excerpt of bulk post {n}.</p>" if n % 3 == 0 else "",
            status=(
                Post.Status.DRAFT
                if drafts and n % drafts == 0
                else Post.Status.PUBLISHED
            ),
            published_at=start - n * step,
            author=author,
            word_count=5,
            reading_minutes=1,
        )
        for n in range(count)
    ]
    links = []
    if tags:
        tags = list(tags)
        links = [
            (n, tags[(n + k) % len(tags)].pk)
            for n in range(count)
            for k in range(min(tags_per_post, len(tags)))
        ]
    with transaction.atomic():
        insert_rows(posts, links)
        # What Post.objects.bulk_create() would count (ContentQuerySet).
        if posts:
            content_version.bump()
    return posts


def insert_rows(posts, links):
    """INSERT the unsaved `posts`, then the tag `links` ((index in posts,
    tag id)), many rows a statement; give the posts their ids.

    The same rows bulk_create() writes, and the triggers fire alike, but
    without its per-value work in Python: 10,000 posts and their 20,000
    links in a second or two instead of five. Every value goes through its
    field's get_db_prep_save(), as in bulk_create() (prepared()).
    """
    connection = connections[router.db_for_write(Post)]
    fields = [field for field in Post._meta.concrete_fields if not field.primary_key]
    rows = [
        [prepared(field, field.pre_save(post, True), connection) for field in fields]
        for post in posts
    ]
    quote = connection.ops.quote_name
    table = Post._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {quote(table)}")
        (last_id,) = cursor.fetchone()
        insert_many(cursor, table, [field.column for field in fields], rows)
        cursor.execute(
            f"SELECT id FROM {quote(table)} WHERE id > %s ORDER BY id", [last_id or 0]
        )
        ids = [row[0] for row in cursor.fetchall()]
        assert len(ids) == len(posts)
        insert_many(
            cursor,
            Post.tags.through._meta.db_table,
            ["post_id", "tag_id"],
            [(ids[index], tag_id) for index, tag_id in links],
        )
    for post, post_id in zip(posts, ids, strict=True):
        post.pk = post_id
        post._state.adding = False
        post._state.db = connection.alias


def insert_many(cursor, table, columns, rows, batch=300):
    """INSERT `rows` into `table`, `batch` rows a statement (a row a
    statement costs a round trip each on PostgreSQL; 300 rows of a post
    stay under SQLite's limit of parameters).
    """
    quote = cursor.db.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    row_marks = f"({', '.join(['%s'] * len(columns))})"
    for first in range(0, len(rows), batch):
        chunk = rows[first : first + batch]
        marks = ", ".join([row_marks] * len(chunk))
        values = [value for row in chunk for value in row]
        cursor.execute(f"INSERT INTO {quote(table)} ({names}) VALUES {marks}", values)


def prepared(field, value, connection):
    """Return `value` as bulk_create() would write it. A plain string,
    number or None is written as it is (get_db_prep_save() would return it
    unchanged: half the time of 10,000 posts went there).
    """
    if value is None or type(value) in (str, int):
        return value
    return field.get_db_prep_save(value, connection)


class PageFactory(OneChangeFactory):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page number {n}")
    body = "Some *Markdown* text."
    status = Page.Status.PUBLISHED

    class Params:
        draft = factory.Trait(status=Page.Status.DRAFT)
