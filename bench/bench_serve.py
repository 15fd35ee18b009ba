"""How fast Inkwell serves readers, next to what the machine allows.

Run from the project folder (needs wrk and nginx: apt-get install wrk nginx):

    .venv/bin/python bench/bench_serve.py --posts 1000 10000 100000
    .venv/bin/python bench/bench_serve.py --posts 1000 --duration 3 --reuse
    .venv/bin/python bench/bench_serve.py --posts 10000 --database postgres \\
        --postgres-url postgres://inkwell:inkwell@127.0.0.1:5432/inkwell

For each N it generates a blog of N posts (bench/generate_blog.py) into a
fresh database (`--reuse` keeps one from an earlier run), serves it with
gunicorn (2 sync workers, production settings, debug off, loopback), and
loads seven pages with wrk (16 connections, `--duration` seconds each,
after every worker has served every page): the index, page 2, a deep page,
a post, a tag page, a year archive and the RSS feed. Each is measured five ways:

- cache on: gunicorn with INKWELL_PAGE_CACHE=1;
- cache off: gunicorn with INKWELL_PAGE_CACHE=0;
- nginx: through deploy/'s nginx site file (TLS, micro-cache) in front of
  the cache-on gunicorn;
- floor: the framework floor, a trivial Django view under the same
  gunicorn returning the very bytes the page had, from memory
  (bench/floor_app.py);
- static: the same nginx serving those bytes as a static file.

The cache-off server runs alone first; then the cache-on server, nginx and
the floor's server run side by side, and each page is measured in those
modes back to back, so that a ratio compares figures taken seconds apart.

It prints req/s, p50 and p99 latency, the servers' CPU milliseconds per
request (gunicorn's and nginx's processes, from /proc), each Inkwell figure
as a ratio to the floor and to static, the SQL queries of each page (first
request, and a second one that a page cache would answer) and the peak RSS
of each gunicorn worker. The machine is shared: run it on a quiet one, and
compare figures from one run.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from blog_databases import blog_database, default_postgres_url  # noqa: E402
from process_stats import (  # noqa: E402
    cpu_seconds,
    cpu_used_between,
    peak_rss_mb,
    process_tree,
)
from servers import WORKERS, free_port, gunicorn, worker_pids  # noqa: E402
from wrk_load import run_wrk, wrk_missing  # noqa: E402

from deploy.nginx_sandbox import (  # noqa: E402
    nginx_missing,
    openssl_missing,
    running_nginx,
    self_signed_certificate,
)
from deploy.render_nginx import render_site  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
STATIC_ROOT = BENCH_VAR / "static"
# The address the blogs are generated for and served as: feeds and
# canonical links carry it, whatever port the benchmark uses.
SITE_URL = "http://127.0.0.1:8000"
INKWELL_MODES = ("cache on", "cache off", "nginx")
ALL_MODES = (*INKWELL_MODES, "floor", "static")


@dataclass
class Figure:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    # None when no request completed within the duration.
    cpu_ms_per_request: float | None
    requests: int
    errors: int


def site_environment(database_url, **extra):
    """Return the environment of the production settings on loopback."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "",
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": SITE_URL,
        # Plain HTTP on loopback, or X-Forwarded-Proto from nginx.
        "DJANGO_BEHIND_PROXY": "1",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "STATIC_ROOT": str(STATIC_ROOT),
        "MEDIA_ROOT": str(BENCH_VAR / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
        **extra,
    }
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


def python(args, environment, **options):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        check=True,
        **options,
    )


def collect_static():
    """The manifest the production static storage needs, once per run."""
    environment = site_environment("sqlite:///:memory:")
    python(
        ["manage.py", "collectstatic", "--noinput", "-v", "0"],
        environment,
    )


def page_facts(database_url):
    environment = site_environment(database_url, INKWELL_PAGE_CACHE="1")
    done = python(["bench/page_facts.py"], environment, capture_output=True, text=True)
    return json.loads(done.stdout)


def server_pids(servers):
    return [pid for server in servers for pid in process_tree(server)]


def wait_until_idle(servers, seconds=600):
    """Wait until the servers use no CPU: when wrk stops, the requests it
    left queued behind the sync workers are still served, and the next
    page's measurement would wait behind them.
    """
    deadline = time.monotonic() + seconds
    reading = cpu_seconds(server_pids(servers))
    while time.monotonic() < deadline:
        time.sleep(0.5)
        previous, reading = reading, cpu_seconds(server_pids(servers))
        if cpu_used_between(previous, reading) < 0.02:
            return


def measure(url, servers, args):
    """Load url with wrk; return a Figure with the CPU used by the process
    trees of `servers` (their main pids).
    """
    if args.warmup:
        run_wrk(url, seconds=args.warmup, connections=args.connections)
    before = cpu_seconds(server_pids(servers))
    load = run_wrk(url, seconds=args.duration, connections=args.connections)
    used = cpu_used_between(before, cpu_seconds(server_pids(servers)))
    wait_until_idle(servers)
    return Figure(
        requests_per_second=load.requests_per_second,
        p50_ms=load.p50_ms,
        p99_ms=load.p99_ms,
        cpu_ms_per_request=used * 1000 / load.requests if load.requests else None,
        requests=load.requests,
        errors=load.errors,
    )


def warm(urls):
    """Have every worker serve every page a few times first: a worker's first
    requests import and compile what later ones reuse, and may take seconds
    that are not what serving costs.
    """
    import ssl
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    context = ssl._create_unverified_context()

    def fetch(url):
        with urllib.request.urlopen(url, timeout=120, context=context) as response:
            response.read()

    with ThreadPoolExecutor(WORKERS) as pool:
        for url in urls:
            list(pool.map(fetch, [url] * WORKERS * 2))


def save_pages(pages, base, folder):
    """Fetch each page from the running site and keep its bytes in folder,
    with the pages.json the floor app reads; return {path: file name}.
    """
    import urllib.request

    folder.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for number, page in enumerate(pages):
        with urllib.request.urlopen(base + page["path"], timeout=60) as response:
            body = response.read()
            content_type = response.headers["Content-Type"]
        extension = "xml" if "xml" in content_type else "html"
        name = f"{number}.{extension}"
        (folder / name).write_bytes(body)
        manifest[page["path"]] = [name, content_type]
    (folder / "pages.json").write_text(json.dumps(manifest))
    return {path: name for path, (name, _type) in manifest.items()}


def bench_blog(posts, args, work):
    """Measure one blog; return its report as a dict.

    The cache-off server runs first, alone: it also saves the pages' bytes.
    Then the cache-on server, nginx in front of it and the floor's server run
    side by side (idle servers cost nothing), and each page is measured in
    every mode back to back: its ratios compare figures taken a few seconds
    apart, not minutes, on a machine whose speed drifts.
    """
    database_url = blog_database(
        args.database,
        posts,
        reuse=args.reuse,
        postgres_url=args.postgres_url,
        environment=site_environment(None),
    )
    pages = page_facts(database_url)
    figures, peak_rss = {}, {}
    floor_pages = work / f"floor-{posts}"
    static_pages = STATIC_ROOT / "bench-pages"
    port = free_port(args.port)

    app = "config.wsgi:application"
    uncached = site_environment(database_url, INKWELL_PAGE_CACHE="0")
    with gunicorn(app, port=port, environment=uncached) as master:
        names = save_pages(pages, f"http://127.0.0.1:{port}", floor_pages)
        run_pages(
            pages,
            figures,
            {"cache off": Mode(f"http://127.0.0.1:{port}", [master])},
            args,
        )
        peak_rss["cache off"] = [peak_rss_mb(pid) for pid in worker_pids(master)]

    static_pages.mkdir(parents=True, exist_ok=True)
    for name in names.values():
        (static_pages / name).write_bytes((floor_pages / name).read_bytes())
    cached = site_environment(database_url, INKWELL_PAGE_CACHE="1")
    floor = site_environment(None, INKWELL_FLOOR_PAGES=str(floor_pages))
    floor_port = free_port(port + 1)
    https_port = free_port(floor_port + 1)
    http_port = free_port(https_port + 1)
    with (
        gunicorn(app, port=port, environment=cached) as master,
        gunicorn(
            "bench.floor_app:application",
            port=floor_port,
            environment=floor,
            probe_path=pages[0]["path"],
        ) as floor_master,
        nginx_in_front(port, https_port, http_port, work) as nginx,
    ):
        base = f"https://127.0.0.1:{https_port}"
        modes = {
            "floor": Mode(f"http://127.0.0.1:{floor_port}", [floor_master]),
            "cache on": Mode(f"http://127.0.0.1:{port}", [master]),
            "nginx": Mode(base, [nginx.pid, master]),
            "static": Mode(
                base,
                [nginx.pid],
                path_of=lambda page: f"/static/bench-pages/{names[page['path']]}",
            ),
        }
        run_pages(pages, figures, modes, args)
        peak_rss["cache on"] = [peak_rss_mb(pid) for pid in worker_pids(master)]
        peak_rss["floor"] = [peak_rss_mb(pid) for pid in worker_pids(floor_master)]
    return {"posts": posts, "pages": pages, "figures": figures, "peak_rss": peak_rss}


@dataclass
class Mode:
    """Where a mode's pages are served, and the servers whose CPU it uses."""

    base: str
    servers: list
    path_of: object = lambda page: page["path"]

    def url(self, page):
        return self.base + self.path_of(page)


def run_pages(pages, figures, modes, args):
    """Measure each page in each of `modes` ({name: Mode}) that was asked
    for, the modes of one page back to back, `args.rounds` times over; a
    page's figure in a mode is its median round.
    """
    modes = {name: mode for name, mode in modes.items() if name in args.modes}
    for mode in modes.values():
        warm([mode.url(page) for page in pages])
    for page in pages:
        rounds = {name: [] for name in modes}
        for number in range(args.rounds):
            for name, mode in modes.items():
                label = f" (round {number + 1})" if args.rounds > 1 else ""
                print(f"  {name:<9} {page['name']}{label}", flush=True)
                rounds[name].append(measure(mode.url(page), mode.servers, args))
        for name, measured in rounds.items():
            figures[(page["name"], name)] = median_round(measured)


def median_round(figures):
    """Return the Figure of the median round by requests a second (the
    lower of the two middle ones for an even count).
    """
    ranked = sorted(figures, key=lambda figure: figure.requests_per_second)
    return ranked[(len(ranked) - 1) // 2]


def nginx_in_front(upstream_port, https_port, http_port, work):
    certificate, key = self_signed_certificate(work)
    site = render_site(
        server_name="127.0.0.1",
        upstream=f"127.0.0.1:{upstream_port}",
        static_root=STATIC_ROOT,
        media_root=BENCH_VAR / "media",
        cache_dir=work / "nginx" / "cache",
        tls_certificate=certificate,
        tls_certificate_key=key,
        https_listen=f"127.0.0.1:{https_port}",
        http_listen=f"127.0.0.1:{http_port}",
    )
    # One worker a core, as worker_processes auto would.
    return running_nginx(
        site, work / "nginx", port=https_port, workers=os.cpu_count() or 1
    )


def cpu_ms(figure):
    if figure.cpu_ms_per_request is None:
        return "-"
    return f"{figure.cpu_ms_per_request:.2f}"


def ratio(value, reference):
    return f"{value / reference:6.1%}" if reference else "     -"


def reference(figures, name, mode):
    figure = figures.get((name, mode))
    return figure.requests_per_second if figure else None


def print_report(report, args):
    posts, figures = report["posts"], report["figures"]
    print(
        f"\n== N={posts:,} posts, {args.database}, gunicorn {WORKERS} sync workers, "
        f"wrk {args.connections} connections, {args.duration} s per page"
        + (f", median of {args.rounds} rounds" if args.rounds > 1 else "")
    )
    print(
        f"{'page':<10} {'mode':<9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'cpu ms/req':>10} {'vs floor':>8} {'vs static':>9} {'errors':>6}"
    )
    for page in report["pages"]:
        name = page["name"]
        floor = reference(figures, name, "floor")
        static = reference(figures, name, "static")
        for mode in args.modes:
            figure = figures[(name, mode)]
            inkwell = mode in INKWELL_MODES
            print(
                f"{name:<10} {mode:<9} {figure.requests_per_second:9.0f} "
                f"{figure.p50_ms:8.2f} {figure.p99_ms:8.2f} "
                f"{cpu_ms(figure):>10} "
                f"{ratio(figure.requests_per_second, floor) if inkwell else '':>8} "
                f"{ratio(figure.requests_per_second, static) if inkwell else '':>9} "
                f"{figure.errors:6d}"
            )
    print(f"\n{'page':<10} {'path':<44} {'status':>6} {'KB':>6} queries")
    print(f"{'':<69} (first, repeat)")
    for page in report["pages"]:
        print(
            f"{page['name']:<10} {page['path']:<44} {page['status']:>6} "
            f"{page['bytes'] / 1024:6.0f} {page['queries_first']}, "
            f"{page['queries_repeat']}"
        )
    print("\npeak RSS per gunicorn worker (MB):")
    for mode, sizes in report["peak_rss"].items():
        print(f"  {mode:<9} " + ", ".join(f"{size:.0f}" for size in sizes))


def missing_tools():
    return [why for why in (wrk_missing(), nginx_missing(), openssl_missing()) if why]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[1000])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=default_postgres_url(),
        help="a PostgreSQL database whose server holds the benchmark's",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="reuse blogs from an earlier run"
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    # Every worker has served every page before the first measurement; a
    # wrk warm-up would leave requests queued in gunicorn's backlog after
    # it stops, which the measurement then waits behind.
    parser.add_argument(
        "--warmup", type=int, default=0, help="seconds of wrk before each page"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure each page's modes back to back this many times; keep "
        "each mode's median round (the shares move by 10-20 points from one "
        "round to the next)",
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8150, help="first port to try")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--modes",
        nargs="+",
        choices=ALL_MODES,
        default=list(ALL_MODES),
        help="measure only these (the ratios need floor and static)",
    )
    args = parser.parse_args()
    missing = missing_tools()
    if missing:
        sys.exit("\n".join(missing))
    if any(posts < 100 for posts in args.posts):
        parser.error("--posts must be at least 100 (the deep page needs pages)")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(
        f"bench_serve at {commit or 'an unknown commit'} on {platform.node()}: "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start, "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}"
    )
    collect_static()
    reports = []
    with tempfile.TemporaryDirectory(prefix="inkwell-bench-") as work:
        for posts in args.posts:
            print(f"\nN={posts:,}", flush=True)
            report = bench_blog(posts, args, Path(work))
            print_report(report, args)
            reports.append(report)
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
    if args.json:
        args.json.write_text(json.dumps([as_json(report) for report in reports]))


def as_json(report):
    return {
        **report,
        "figures": [
            {"page": page, "mode": mode, **asdict(figure)}
            for (page, mode), figure in report["figures"].items()
        ],
    }


if __name__ == "__main__":
    main()
