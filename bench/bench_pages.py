"""Time the uncached reader's pages and feeds at a blog size, in process.

Run from the project folder:

    .venv/bin/python bench/bench_pages.py --posts 1000
    .venv/bin/python bench/bench_pages.py --posts 100000 --runs 30
    .venv/bin/python bench/bench_pages.py --posts 100000 --runs 5000 --kept
    .venv/bin/python bench/bench_pages.py --posts 1000 \\
        --database-url postgres://inkwell:inkwell@127.0.0.1:5432/inkwell_bench

With the production settings (debug off, cached templates, local-memory
cache, no page cache), it fills the database with bench/generate_blog.py
when it does not hold a blog of exactly N visible posts (default database:
`var/bench-pages-<N>.sqlite3`, kept for the next run), then calls the WSGI
application directly, page after page, and prints for each page the median
wall and CPU milliseconds over `--runs` requests (after two warm-ups), the
response's size, and the SQL queries it ran (counted in a separate request).
No server and no network: the figures are Django's and the database's work
only, which is what the page cache saves. On a shared machine the CPU time
is the steadier figure for SQLite (the database runs in process). On a
local PostgreSQL, "db cpu" is the mean CPU milliseconds per request of the
server's process for this connection (from /proc), which "cpu ms" leaves
out and which shares the machine's cores. With `--kept`, the page cache is
on and the pages are kept ones, answered by config.wsgi's application as
gunicorn's workers answer them.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def production_environment(posts, database_url):
    """Set the environment of the production settings, in process, on the
    blog of `posts` posts (bench_save.py uses it too).
    """
    os.environ["DATABASE_URL"] = database_url or (
        f"sqlite:///{ROOT / 'var' / f'bench-pages-{posts}.sqlite3'}"
    )
    os.environ.pop("DJANGO_DEBUG", None)
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ["DJANGO_SSL_REDIRECT"] = "0"


def setup(posts, database_url, kept=False):
    production_environment(posts, database_url)
    # Uncached pages: with debug off the page cache is on by default, and a
    # repeated request would time a cache hit. With `kept`, that is what is
    # timed.
    os.environ["INKWELL_PAGE_CACHE"] = "1" if kept else "0"
    # Hashed static files, as production serves them.
    os.environ["STATIC_ROOT"] = str(ROOT / "var" / "bench-static")
    (ROOT / "var").mkdir(exist_ok=True)
    import generate_blog

    generate_blog.setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from blog.models import Post

    visible = Post.objects.published().count()
    if visible != posts:
        generate_blog.generate(posts, reset=True)


def page_urls():
    """Return (name, path) of the pages to time, chosen from the blog."""
    from django.conf import settings

    from blog.models import Post, Tag

    visible = Post.objects.published()
    size = settings.INKWELL_PAGE_SIZE
    pages = max(1, -(-visible.not_featured().count() // size))
    old = visible.order_by("published_at", "pk")[visible.count() // 10]
    tag = Tag.objects.order_by("slug").first()
    tag_pages = max(1, -(-visible.filter(tags=tag).count() // size))
    return [
        ("index", "/"),
        ("index page 2", "/page/2/"),
        (f"index deep page ({pages * 9 // 10})", f"/page/{max(2, pages * 9 // 10)}/"),
        ("post (an old one)", old.get_absolute_url()),
        ("tag", tag.get_absolute_url()),
        (f"tag deep page ({tag_pages * 9 // 10})", tag_deep(tag, tag_pages)),
        ("archive year", f"/archive/{old.published_at:%Y}/"),
        ("archive month", f"/archive/{old.published_at:%Y/%m}/"),
        ("archive index", "/archive/"),
        ("tag list", "/tags/"),
        ("rss feed", "/feed/"),
        ("atom feed", "/feed/atom/"),
    ]


def tag_deep(tag, tag_pages):
    url = tag.get_absolute_url()
    return url if tag_pages < 3 else f"{url}page/{tag_pages * 9 // 10}/"


def call(application, path):
    """Return (status, body size) of one GET through the WSGI application."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status = []
    response = application(environ, lambda code, headers: status.append(code))
    size = sum(len(chunk) for chunk in response)
    if hasattr(response, "close"):  # a kept page is a list of its bytes
        response.close()
    return status[0], size


def database_cpu_seconds():
    """Return the CPU seconds PostgreSQL's process for this connection has
    used, or None (SQLite runs in this process; a server on another
    machine has no /proc here).
    """
    from django.db import connection

    if connection.vendor != "postgresql" or connection.connection is None:
        return None
    pid = connection.connection.info.backend_pid
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime, in clock ticks.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(application, path, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        status, size = call(application, path)
    walls, cpus = [], []
    database_before = database_cpu_seconds()
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        call(application, path)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    database_after = database_cpu_seconds()
    with CaptureQueriesContext(connection) as queries:
        call(application, path)
    return {
        "status": status,
        "kb": size / 1024,
        "wall_ms": statistics.median(walls) * 1000,
        "cpu_ms": statistics.median(cpus) * 1000,
        # A mean: the kernel counts a process's CPU in ticks (10 ms).
        "database_cpu_ms": None
        if database_before is None or database_after is None
        else (database_after - database_before) / runs * 1000,
        "queries": len(queries),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", help="default: var/bench-pages-N.sqlite3")
    parser.add_argument(
        "--kept",
        action="store_true",
        help="time kept pages (page cache on), through config.wsgi's application",
    )
    args = parser.parse_args()
    setup(args.posts, args.database_url, kept=args.kept)
    from django.conf import settings

    if args.kept:
        # What gunicorn serves: kept pages answered before Django.
        from config.wsgi import application
    else:
        from django.core.wsgi import get_wsgi_application

        application = get_wsgi_application()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    pages = "kept pages" if args.kept else "uncached pages"
    print(f"{args.posts:,} posts on {engine}, {pages}, median of {args.runs} requests")
    header = ("page", "status", "KB", "wall ms", "cpu ms", "db cpu", "SQL")
    print("{:<28} {:>6} {:>7} {:>8} {:>7} {:>7} {:>4}".format(*header))
    for name, path in page_urls():
        status, _size = call(application, path)
        if not status.startswith("200"):
            sys.exit(f"{name} ({path}) answered {status}; stopping.")
        row = measure(application, path, args.runs)
        print(
            f"{name:<28} {row['status'][:3]:>6} {row['kb']:>7.1f} "
            f"{row['wall_ms']:>8.3f} {row['cpu_ms']:>7.3f} "
            f"{database_cpu(row):>7} {row['queries']:>4}"
        )


def database_cpu(row):
    figure = row["database_cpu_ms"]
    return "-" if figure is None else f"{figure:.2f}"


if __name__ == "__main__":
    main()
