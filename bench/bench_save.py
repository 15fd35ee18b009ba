"""Time saving a post at a blog size, in process, as the author waits for
it: the median over several edited saves of an existing post through
`blog.services.post_save` (what the admin calls), inside a request, with
the search index kept and with it left out, in turn.

Run from the project folder, on a blog bench_pages.py or generate_blog.py
made (it must exist; this writes to it: each save edits the post's title
and saves it, as an author would):

    .venv/bin/python bench/bench_save.py --posts 100000 \\
        --database-url sqlite:///var/bench/sqlite-100000.sqlite3
    .venv/bin/python bench/bench_save.py --posts 100000 \\
        --database-url postgres://inkwell:inkwell@127.0.0.1:5432/inkwell_bench_100000

Each save runs as a server runs the admin's: request_started, the save in
its transaction (what the author waits for: then the response is made and
sent), then request_finished, sent from the response's close() once the
body is sent, where the search index is written (blog.search_index_queue);
the two are timed apart. "Left out" is the same with every step of the
index (reading what it holds, asking for a write) left out. Times are wall-clock
and CPU milliseconds, CPU being this process's and, on PostgreSQL, its
database backend's: on a busy machine, wall-clock time adds the wait for a
core. "Rendering" is `Post.render()` (Markdown to the stored HTML), timed
alone on the same post. The saved post keeps its body: only its title
changes, and goes back on the last save.

The blog must hold its search index (migration 0013 builds it for the
posts there are; generate_blog.py's posts, written after the migrations,
have none until `manage.py rerender_posts` or bench_search.py builds it):
the number of indexed posts is printed.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def setup(posts, database_url):
    from bench_pages import production_environment

    production_environment(posts, database_url)
    # One PostgreSQL connection throughout, whose backend's CPU is read.
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "3600")
    import generate_blog

    generate_blog.setup_django()
    from blog.models import Post

    visible = Post.objects.published().count()
    if visible != posts:
        sys.exit(f"The database holds {visible:,} visible posts, not {posts:,}.")


def indexed_posts():
    """Return how many posts the search index holds."""
    from django.db import connection

    table = {
        "postgresql": "blog_post WHERE search_vector IS NOT NULL",
        "sqlite": "blog_post_search",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


def left_out():
    """Return the patches that leave out every step of the search index."""
    from blog import search_index

    # The read of what it holds, and a save that never asks for a write.
    return (
        mock.patch.object(search_index, "stored_source", lambda *a, **k: None),
        mock.patch.object(search_index, "needs_indexing", lambda *a, **k: False),
    )


def timed_request(save):
    """Run `save` as a request does; return the (wall, CPU) milliseconds
    until the response and after it.
    """
    from bench_search import measured_ms
    from django.core.signals import request_finished, request_started
    from django.db import transaction

    request_started.send(sender=None)

    def in_its_transaction():
        # As the admin's change view saves.
        with transaction.atomic():
            save()

    response = measured_ms(in_its_transaction)
    after = measured_ms(lambda: request_finished.send(sender=None))
    return response, after


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database-url", help="default: var/bench-pages-N.sqlite3")
    args = parser.parse_args()
    setup(args.posts, args.database_url)
    from django.conf import settings

    from blog.models import Post
    from blog.services import post_save

    # An old post, in the middle of the tag and month counts.
    visible = Post.objects.published().order_by("published_at", "pk")
    post = visible[args.posts // 10]
    title = post.title
    edits = iter(range(10**6))

    def edit():
        post.title = f"{title} ({next(edits)})"
        post_save(post=post)

    without_index = left_out()

    def edit_without_index():
        with without_index[0], without_index[1]:
            edit()

    # {label: [(wall, CPU) until the response], [(wall, CPU) after it]}
    times = {"kept": ([], []), "left out": ([], [])}
    renders = []
    for run in range(args.runs + 2):
        # One of each in turn, so that the machine's load weighs on both.
        for label, save in (("kept", edit), ("left out", edit_without_index)):
            response, after = timed_request(save)
            if run >= 2:  # the first two warm up
                times[label][0].append(response)
                times[label][1].append(after)
        started = time.perf_counter()
        post.render()
        if run >= 2:
            renders.append((time.perf_counter() - started) * 1000)
    post.title = title
    post_save(post=post)  # as it was

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"{args.posts:,} posts on {engine} ({indexed_posts():,} in the search "
        f"index), post {post.pk} ({post.word_count:,} words)"
    )
    print(f"median of {args.runs} edited saves inside a request (ms):")
    print(f"  {'':<34}{'index kept':>11}{'left out':>10}{'difference':>12}")
    for phase, name in ((0, "until the response"), (1, "after it (the index)")):
        for clock, clock_name in ((0, "wall"), (1, "CPU")):
            kept, without = (
                statistics.median(each[clock] for each in times[label][phase])
                for label in ("kept", "left out")
            )
            print(
                f"  {name + ', ' + clock_name:<34}{kept:>11.1f}{without:>10.1f}"
                f"{kept - without:>+12.1f}"
            )
    print(f"  rendering alone, wall{'':<13}{statistics.median(renders):>11.1f}")


if __name__ == "__main__":
    main()
