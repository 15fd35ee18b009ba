"""Under load, nothing lost: gunicorn serving readers who hammer the index
and the feeds while one author publishes and edits through the admin (real
form posts with CSRF) and another through the ORM, in another process. No
request fails and every save lands.

On PostgreSQL a second run restarts the cluster halfway: only requests in
flight or sent while it is down may fail, and none after (CONN_HEALTH_CHECKS
replaces the dead persistent connections).
"""

import json
import os
import shutil
import subprocess
import time

import pytest

from tests.load.clients import run_load
from tests.load.server import (
    PASSWORD,
    gunicorn,
    is_postgresql,
    load_database,
    orm_author,
    stored_titles,
)

pytestmark = pytest.mark.load

# Long enough for a few hundred requests and saves on two shared cores.
LOAD_SECONDS = 5
SEED_POSTS = 15


def run(database_url, *, during=None):
    """Serve, load and count; return (requests, admin author, ORM summary,
    stored titles).
    """
    with gunicorn(database_url) as base:
        orm = orm_author(database_url, seconds=LOAD_SECONDS)
        requests, author = run_load(
            base, seconds=LOAD_SECONDS, password=PASSWORD, during=during
        )
        orm_summary = json.loads(orm.communicate(timeout=60)[0])
    return requests, author, orm_summary, stored_titles(database_url)


def report(requests, author, orm_summary, errors):
    saves = len(author.saved) + len(orm_summary["created"])
    print(
        f"\nload: {len(requests)} requests, {saves} saves "
        f"({len(author.saved)} admin posts, {len(orm_summary['created'])} ORM "
        f"posts, some edited), {len(errors)} errors"
    )


def test_readers_and_two_authors_under_load_lose_nothing(tmp_path):
    with load_database(tmp_path) as database_url:
        requests, author, orm_summary, titles = run(database_url)

    errors = [r for r in requests if r.failed] + orm_summary["errors"]
    report(requests, author, orm_summary, errors)
    assert errors == []
    assert author.refused == []
    assert len(requests) > 100 and len(author.saved) > 5
    # Every save landed, with its last edit: the admin's by id, the ORM's
    # by title, and nothing else was added.
    assert {pk: titles.get(pk) for pk in author.saved} == author.saved
    assert set(orm_summary["created"]) <= set(titles.values())
    expected = SEED_POSTS + len(author.saved) + len(orm_summary["created"])
    assert len(titles) == expected


def cluster_restartable():
    """Return why the PostgreSQL restart cannot run here, or "" if it can."""
    if not shutil.which("pg_ctlcluster") or os.geteuid() != 0:
        return "pg_ctlcluster is not usable here (it needs root and PostgreSQL 15)."
    return ""


def test_a_postgresql_restart_costs_only_the_requests_in_flight(tmp_path):
    if not is_postgresql(os.environ.get("DATABASE_URL", "")):
        pytest.skip(
            "DATABASE_URL does not name PostgreSQL: there is no server to restart."
        )
    why_not = cluster_restartable()
    if why_not:
        if os.environ.get("CI"):
            pytest.fail(why_not)
        pytest.skip(why_not)
    window = {}

    def restart(log):
        window["start"] = time.monotonic()
        subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=True)
        window["end"] = time.monotonic()

    with load_database(tmp_path) as database_url:
        requests, author, orm_summary, titles = run(database_url, during=restart)

    errors = [r for r in requests if r.failed]
    report(requests, author, orm_summary, errors)
    in_flight = [r for r in requests if r.started < window["start"] < r.ended]
    down = [r for r in requests if window["start"] <= r.started <= window["end"]]
    print(
        f"restart: {len(in_flight)} requests in flight, {len(down)} sent while "
        f"it was down, {len(errors)} failed"
    )
    assert len(errors) <= len(in_flight) + len(down)
    # Failed: only what was sent before the cluster was back.
    assert [r for r in errors if r.started > window["end"]] == []
    # What the admin confirmed was saved, is.
    assert {pk: titles.get(pk) for pk in author.saved} == author.saved
