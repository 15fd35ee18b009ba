"""Fill the configured database with a large blog, fast, for benchmarks.

Run from the project folder:

    .venv/bin/python bench/generate_blog.py --posts 100000
    .venv/bin/python bench/generate_blog.py --posts 1000 --seed 7 \\
        --database-url postgres://inkwell:inkwell@127.0.0.1:5432/inkwell

It migrates the database first (DATABASE_URL, or `--database-url`, or the
SQLite default under var/), then writes N published posts of about 1,500
words of Markdown each (headings, code blocks in C, assembly and Python,
footnotes, a list, a quote; two in three cut with `<!--more-->`), each with 3
of 50 tags, dated over the years before now, 4 featured slots, a few drafts
and scheduled posts, a few pages (two in the navigation), an author and the
site identity. It refuses a database that already has posts unless
`--reset` is given, which deletes the blog's content first.

Speed: only 20 distinct bodies are rendered, through the real pipeline
(`blog.rendering.render_post`), each once with a placeholder post id and
post URL; every post reuses one of them with its own id and URL put in
place of the placeholders, so each post's stored HTML is exactly what
saving it would store. Posts get their ids up front and are written with
bulk_create in batches. Also importable: `generate(n, seed=...)`.

SITE_URL (for the feed copies' absolute URLs) and DJANGO_SECRET_KEY come
from the environment like the site's; when unset, bench-only values are
used (SITE_URL http://127.0.0.1:8000): serve the blog with the same.
"""

import argparse
import math
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DISTINCT_BODIES = 20
TAG_COUNT = 50
TAGS_PER_POST = 3
FEATURED = 4
DRAFTS = 3
SCHEDULED = 2
BATCH = 1000
# Rendered with these, then replaced by each post's own id and URL. Digits
# and letters no body contains, so replacing them touches nothing else.
PLACEHOLDER_ID = 987654321
PLACEHOLDER_SLUG = "zqxplaceholderslugzqx"

TOPICS = [
    "switch statements",
    "calling conventions",
    "tail calls",
    "stack frames",
    "register allocation",
    "loop unrolling",
    "branch prediction",
    "cache lines",
    "inline assembly",
    "linker scripts",
    "position-independent code",
    "undefined behaviour",
    "integer overflow",
    "SIMD intrinsics",
    "memory barriers",
    "atomics",
    "page tables",
    "system calls",
    "signal handlers",
    "dynamic loading",
]
WORDS = (
    "the compiler turns a small function into a handful of instructions and "
    "the calling convention decides which registers carry arguments which "
    "the callee must preserve and where the result goes reading the output "
    "of gcc is the quickest way to see it every branch costs something when "
    "the predictor guesses wrong and the pipeline refills from memory"
).split()
CODE_BLOCKS = [
    ("c", "static int add(int a, int b)\n{\n    return a < b ? b : a; /* max */\n}"),
    ("gas", "add:\n    leal (%rdi,%rsi), %eax\n    ret"),
    ("python", "def add(a, b):\n    return a + b  # the same, slower"),
    ("c", "switch (op) {\ncase 0: return a + b;\ncase 1: return a - b;\n}"),
]


def markdown_body(number, rng, words=1500):
    """Return a body of about `words` words of technical Markdown."""
    topic = TOPICS[number % len(TOPICS)]
    parts, notes = [], []
    written, index = 0, 0
    while written < words:
        if index % 6 == 0:
            parts.append(f"## {topic.capitalize()}, part {index // 6 + 1}")
        sentence = " ".join(rng.choice(WORDS) for _ in range(45))
        paragraph = f"{sentence.capitalize()}, as `{topic}` shows."
        if index % 5 == 2:
            notes.append(f"A note on {topic}, number {len(notes) + 1}.")
            paragraph += f"[^{len(notes)}]"
        parts.append(paragraph)
        written += 49
        if index == 1 and number % 3 != 2:
            parts.append("<!--more-->")
        if index % 7 == 4:
            language, code = CODE_BLOCKS[(number + index) % len(CODE_BLOCKS)]
            parts.append(f"```{language}\n{code}\n```")
        if index == 9:
            parts.append("- one register\n- two registers\n- the stack")
        if index == 12:
            parts.append(f"> What {topic} costs is what you measure.")
        index += 1
    parts += [f"[^{n}]: {note}" for n, note in enumerate(notes, start=1)]
    return "\n\n".join(parts) + "\n"


def setup_django(database_url=None):
    """Start Django with the site's settings (production unless told)."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
    import django

    django.setup()


def rendered_bodies(count, rng):
    """Return `count` (body, rendered fields) pairs, rendered with the
    placeholder post id and URL.
    """
    from blog.models import Post, rendered_post_fields

    url = Post(slug=PLACEHOLDER_SLUG).get_absolute_url()
    bodies = []
    for number in range(count):
        body = markdown_body(number, rng)
        fields = rendered_post_fields(body, "", post_id=PLACEHOLDER_ID, post_url=url)
        bodies.append((body, fields))
    return bodies


def own_fields(fields, post_id, slug):
    """Return rendered fields with the placeholders made this post's."""
    own = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.replace(str(PLACEHOLDER_ID), str(post_id))
            value = value.replace(PLACEHOLDER_SLUG, slug)
        own[name] = value
    return own


def reset_blog():
    """Delete the blog's content (posts, tags, pages, slots, redirects)."""
    from django.contrib.redirects.models import Redirect

    from blog.models import FeaturedSlot, Page, Post, SlugRedirect, Tag

    FeaturedSlot.objects.all().delete()
    SlugRedirect.objects.all().delete()
    Post.objects.all().delete()
    Tag.objects.all().delete()
    # Children before parents: a parent page is protected.
    while Page.objects.exists():
        Page.objects.filter(children__isnull=True).delete()
    Redirect.objects.all().delete()


def generate(n, seed=0, *, reset=False, distinct_bodies=DISTINCT_BODIES, out=print):
    """Write a blog of `n` visible posts (plus drafts and scheduled posts)
    into the configured database; return a dict of what was made.

    Django must be set up. Raise ValueError when the database already has
    posts and `reset` is off.
    """
    from django.contrib.auth import get_user_model
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from blog.models import FeaturedSlot, Page, Post, SiteIdentity, Tag

    if Post.objects.exists():
        if not reset:
            raise ValueError(
                "The database already has posts. Use --reset (reset=True) to "
                "delete the blog's content first, or choose another database."
            )
        reset_blog()
    rng = random.Random(seed)
    started = time.perf_counter()
    bodies = rendered_bodies(distinct_bodies, rng)
    rendered_in = time.perf_counter() - started

    author, _created = get_user_model().objects.get_or_create(
        username="bench-author",
        defaults={"first_name": "Ada", "last_name": "Bench", "is_staff": False},
    )
    identity = SiteIdentity.load()
    identity.title, identity.tagline = "Bench Blog", "Long posts about compilers."
    identity.author_name, identity.footer_text = "Ada Bench", "Written for benchmarks."
    identity.save()
    tags = Tag.objects.bulk_create(
        Tag(name=f"Topic {k:02d}", slug=f"topic-{k:02d}", description=f"Topic {k}.")
        for k in range(TAG_COUNT)
    )

    now = timezone.now()
    # Ten years, newest an hour ago; at least an hour apart on a small blog.
    step = max(timedelta(days=3650) / max(n, 1), timedelta(hours=1))
    first_id = (Post.objects.order_by("-pk").values_list("pk", flat=True).first()) or 0
    first_id += 1
    total = n + DRAFTS + SCHEDULED
    Through = Post.tags.through
    with transaction.atomic():
        for batch_start in range(0, total, BATCH):
            posts, links = [], []
            for number in range(batch_start, min(total, batch_start + BATCH)):
                post_id = first_id + number
                slug = f"post-{number}-{TOPICS[number % len(TOPICS)]}"
                slug = slug.replace(" ", "-").lower()
                body, fields = bodies[number % len(bodies)]
                status = Post.Status.PUBLISHED
                published_at = now - timedelta(hours=1) - number * step
                if number >= n + DRAFTS:
                    published_at = now + timedelta(days=number - n - DRAFTS + 1)
                elif number >= n:
                    status, published_at = Post.Status.DRAFT, None
                posts.append(
                    Post(
                        id=post_id,
                        title=f"Post {number}: on {TOPICS[number % len(TOPICS)]}",
                        slug=slug,
                        body=body,
                        status=status,
                        published_at=published_at,
                        author=author,
                        **own_fields(fields, post_id, slug),
                    )
                )
                for tag in rng.sample(tags, TAGS_PER_POST):
                    links.append(Through(post_id=post_id, tag_id=tag.pk))
            Post.objects.bulk_create(posts)
            Through.objects.bulk_create(links)
        # Ids were given, so PostgreSQL's sequence must catch up.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Post]):
                cursor.execute(sql)
        featured = rng.sample(range(min(n, 40)), min(FEATURED, n))
        FeaturedSlot.objects.bulk_create(
            FeaturedSlot(position=k + 1, post_id=first_id + number)
            for k, number in enumerate(featured)
        )
    about = Page.objects.create(
        title="About",
        body="About this blog.\n\nIt is *generated*.",
        status=Page.Status.PUBLISHED,
        show_in_navigation=True,
    )
    Page.objects.create(
        title="Team", parent=about, body="The team.", status=Page.Status.PUBLISHED
    )
    Page.objects.create(
        title="Now",
        body="What I do now.",
        status=Page.Status.PUBLISHED,
        show_in_navigation=True,
        navigation_order=1,
    )
    Page.objects.create(title="Uses", body="Tools.", status=Page.Status.PUBLISHED)
    Page.objects.create(title="Draft page", body="Not yet.")
    after_write = getattr(Post.objects, "after_bulk_write", None)
    if after_write is not None:
        after_write()
    made = {
        "posts": n,
        "drafts": DRAFTS,
        "scheduled": SCHEDULED if n else 0,
        "tags": TAG_COUNT,
        "featured": len(featured),
        "pages": Page.objects.count(),
        "distinct_bodies": len(bodies),
        "words_per_post": math.floor(
            sum(fields["word_count"] for _body, fields in bodies) / len(bodies)
        ),
        "render_seconds": rendered_in,
        "seconds": time.perf_counter() - started,
    }
    out(
        f"made {made['posts']:,} visible posts (+{DRAFTS} drafts, "
        f"+{made['scheduled']} scheduled) of ~{made['words_per_post']:,} words "
        f"from {len(bodies)} distinct bodies (rendered in {rendered_in:.1f} s), "
        f"{TAG_COUNT} tags ({TAGS_PER_POST} per post), {made['featured']} "
        f"featured, {made['pages']} pages, in {made['seconds']:.1f} s"
    )
    return made


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000, help="visible posts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--database-url", help="dj-database-url URL (default: DATABASE_URL)"
    )
    parser.add_argument(
        "--reset", action="store_true", help="delete the blog's content first"
    )
    args = parser.parse_args()
    if args.posts < 0:
        parser.error("--posts must be 0 or more")
    setup_django(args.database_url)
    from django.conf import settings
    from django.core.management import call_command

    database = settings.DATABASES["default"]
    print(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    call_command("migrate", verbosity=0)
    try:
        generate(args.posts, seed=args.seed, reset=args.reset)
    except ValueError as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
