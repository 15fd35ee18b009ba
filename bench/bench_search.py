"""Time search on a large blog.

Run from the project folder:

    .venv/bin/python bench/bench_search.py --posts 100000
    .venv/bin/python bench/bench_search.py --posts 100000 \\
        --database-url postgres://inkwell:inkwell@127.0.0.1:5432/inkwell_bench

Without `--database-url` it uses its own SQLite file,
var/bench-search-<N>.sqlite3. A database that already holds exactly N
visible posts is reused (its index rebuilt only when `--reindex` is given);
any other is filled again by bench/generate_blog.py (`--reset`), and the
search index is built in one pass, timed.

Then each typical query (a common word, a rare word, a phrase, an
exclusion) is asked `--runs` times in-process through the search view (the
whole response, template included), after one warm-up; the median and 95th
percentile server times are printed, per query and over all. The target is
under 50 ms at 100,000 posts on both databases. What the index adds to
saving a post is bench_save.py's to time: as the author's save runs, in a
request, with the index written after the response.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate_blog import generate, setup_django  # noqa: E402

TARGET_MS = 50
VAR = Path(__file__).resolve().parent.parent / "var"


def queries(posts):
    """Return (label, query) pairs of typical searches on a generated blog."""
    return [
        ("common word", {"q": "compiler"}),
        # Titles are "Post <number>: on <topic>": one post has this number.
        ("rare word", {"q": str(posts // 2 + 7)}),
        ("phrase", {"q": '"calling convention"'}),
        ("exclusion", {"q": "registers -allocation"}),
        ("common word, page 3", {"q": "instructions", "page": 3}),
    ]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed_ms(function, runs):
    """Return the wall-clock and CPU milliseconds of each of `runs` calls,
    after a warm-up (connections, caches, query plans). CPU is this
    process's and its PostgreSQL backend's: on a busy machine, what the
    request itself cost, where wall-clock time adds the wait for a core.
    """
    function()
    wall, cpu = [], []
    for _ in range(runs):
        wall_ms, cpu_ms = measured_ms(function)
        wall.append(wall_ms)
        cpu.append(cpu_ms)
    return wall, cpu


def measured_ms(function):
    """Return the wall-clock and CPU milliseconds of one call."""
    started_db = database_cpu_ms()
    started, started_cpu = time.perf_counter(), time.process_time()
    function()
    wall = (time.perf_counter() - started) * 1000
    cpu = (time.process_time() - started_cpu) * 1000
    return wall, cpu + database_cpu_ms() - started_db


def database_cpu_ms():
    """Return the CPU milliseconds the PostgreSQL backend of this process's
    connection has used (the kernel's count, to the nanosecond), or 0 where
    the database works in this process (SQLite) or cannot be read.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    try:
        with open(f"/proc/{pid}/schedstat") as stat:
            return int(stat.read().split()[0]) / 1e6
    except OSError:
        return 0


def prepare(posts, reindex):
    """Fill the database unless it holds this blog; return whether the
    index is to be built.
    """
    from blog.models import Post

    if Post.objects.published().count() == posts:
        print(f"reusing the blog of {posts:,} posts")
        return reindex
    generate(posts, reset=True)
    return True


def build_index():
    from blog import search_index

    started = time.perf_counter()
    search_index.index_posts()
    search_index.index_pages()
    print(f"search index built in one pass in {time.perf_counter() - started:.1f} s")


def time_searches(posts, runs):
    from django.test import Client

    from blog.search import search
    from blog.search_query import SearchQuery

    client = Client()
    every, every_cpu = [], []
    print(
        f"\nload average {' '.join(f'{n:.1f}' for n in os.getloadavg())} on "
        f"{os.cpu_count()} cores; CPU ms are this process's and its database's (SQLite "
        "works in this process, PostgreSQL in a backend of its own)"
    )
    print(
        f"{'query':<22} {'hits':>6} {'median ms':>10} {'p95 ms':>8} "
        f"{'median CPU':>11} {'p95 CPU':>8}"
    )
    for label, params in queries(posts):
        response = client.get("/search/", params)
        assert response.status_code == 200, (params, response.status_code)
        hits = search(SearchQuery.parse(params["q"])).count()

        def ask(params=params):
            client.get("/search/", params)

        times, cpu = timed_ms(ask, runs)
        every += times
        every_cpu += cpu
        print(f"{label:<22} {hits:>6,} {summary(times, cpu)}")
    print(f"{'all':<22} {'':>6} {summary(every, every_cpu)}")
    print(
        f"target: p95 under {TARGET_MS} ms: "
        f"{'met' if percentile(every, 0.95) < TARGET_MS else 'NOT met'} in wall "
        f"time, {'met' if percentile(every_cpu, 0.95) < TARGET_MS else 'NOT met'}"
        " in CPU time"
    )


def summary(times, cpu):
    return (
        f"{statistics.median(times):>10.1f} {percentile(times, 0.95):>8.1f} "
        f"{statistics.median(cpu):>11.1f} {percentile(cpu, 0.95):>8.1f}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", help="default: var/bench-search-<N>.sqlite3")
    parser.add_argument(
        "--reindex", action="store_true", help="rebuild the index of a reused blog"
    )
    args = parser.parse_args()
    VAR.mkdir(exist_ok=True)
    database_url = (
        args.database_url or f"sqlite:///{VAR / f'bench-search-{args.posts}.sqlite3'}"
    )
    # The view is asked in-process, over plain HTTP, as the test client does.
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SSL_REDIRECT", "0")
    # One PostgreSQL connection throughout, whose backend's CPU is read.
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "3600")
    # Uncached pages: with debug off the page cache is on by default, and a
    # repeated search would time a cache hit.
    os.environ["INKWELL_PAGE_CACHE"] = "0"
    warnings.filterwarnings("ignore", message="No directory at")  # var/static
    setup_django(database_url)
    from django.conf import settings
    from django.core.management import call_command

    database = settings.DATABASES["default"]
    print(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    call_command("migrate", verbosity=0)
    # Static files as in development: no collectstatic manifest needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    if prepare(args.posts, args.reindex):
        build_index()
    time_searches(args.posts, args.runs)


if __name__ == "__main__":
    main()
