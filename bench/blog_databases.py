"""The benchmark's blogs: one database of N posts each, SQLite or
PostgreSQL, made by bench/generate_blog.py and kept for the next run.

SQLite: var/bench/sqlite-<N>.sqlite3. PostgreSQL: a database
inkwell_bench_<N> beside the one `--postgres-url` names (its user needs
CREATEDB). A blog is written under a temporary name and renamed when
complete, so an interrupted generation is never reused.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SQLITE_FOLDER = ROOT / "var" / "bench"


def blog_database(engine, posts, *, reuse, postgres_url, environment):
    """Return the DATABASE_URL of a blog of `posts` posts, generated now
    unless `reuse` and a complete one exists.
    """
    if engine == "sqlite":
        url = sqlite_blog(posts, reuse=reuse, environment=environment)
    else:
        url = postgres_blog(
            posts, reuse=reuse, postgres_url=postgres_url, environment=environment
        )
    if reuse:
        # A blog kept from an earlier run gets the migrations added since.
        migrate(url, environment)
    return url


def migrate(database_url, environment):
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"],
        cwd=ROOT,
        env={**environment, "DATABASE_URL": database_url},
        check=True,
    )


def sqlite_blog(posts, *, reuse, environment):
    SQLITE_FOLDER.mkdir(parents=True, exist_ok=True)
    final = SQLITE_FOLDER / f"sqlite-{posts}.sqlite3"
    if reuse and final.exists():
        return f"sqlite:///{final}"
    partial = SQLITE_FOLDER / f"sqlite-{posts}.partial.sqlite3"
    for path in (final, partial):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    generate(posts, f"sqlite:///{partial}", environment)
    partial.rename(final)
    return f"sqlite:///{final}"


def postgres_blog(posts, *, reuse, postgres_url, environment):
    name = f"inkwell_bench_{posts}"
    partial = f"{name}_partial"
    if reuse and name in postgres_databases(postgres_url):
        return with_database(postgres_url, name)
    for database in (name, partial):
        postgres_sql(postgres_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    postgres_sql(postgres_url, f'CREATE DATABASE "{partial}"')
    generate(posts, with_database(postgres_url, partial), environment)
    # What autovacuum would have done by the time a real blog is this big.
    postgres_sql(with_database(postgres_url, partial), "VACUUM ANALYZE")
    postgres_sql(postgres_url, f'ALTER DATABASE "{partial}" RENAME TO "{name}"')
    return with_database(postgres_url, name)


def generate(posts, database_url, environment):
    print(f"  generating {posts:,} posts into {database_url}", flush=True)
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate_blog.py"),
            "--posts",
            str(posts),
            "--database-url",
            database_url,
        ],  # fmt: skip
        cwd=ROOT,
        env=environment,
        check=True,
    )
    print(f"  generated in {time.monotonic() - started:.0f} s", flush=True)


def with_database(url, name):
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def postgres_connection(url):
    import psycopg

    url = url.replace("postgres://", "postgresql://", 1)
    return psycopg.connect(url, autocommit=True)


def postgres_sql(url, statement):
    with postgres_connection(url) as connection:
        connection.execute(statement)


def postgres_databases(url):
    with postgres_connection(url) as connection:
        rows = connection.execute("SELECT datname FROM pg_database").fetchall()
    return {row[0] for row in rows}


def default_postgres_url():
    configured = os.environ.get("DATABASE_URL", "")
    if urlsplit(configured).scheme.startswith("postgres"):
        return configured
    return "postgres://inkwell:inkwell@127.0.0.1:5432/inkwell"
