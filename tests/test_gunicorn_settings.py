"""config/gunicorn.py: gunicorn's settings for `make serve`, from the
environment."""

import runpy
from pathlib import Path

SETTINGS = Path(__file__).resolve().parent.parent / "config" / "gunicorn.py"


def gunicorn_settings(monkeypatch, **environment):
    for name in ("GUNICORN_MAX_REQUESTS", "GUNICORN_WORKERS", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_a_worker_is_replaced_after_many_requests_not_a_few_thousand(monkeypatch):
    # A worker's start costs about a second of CPU; a kept page under a
    # millisecond.
    settings = gunicorn_settings(monkeypatch)

    assert settings["max_requests"] == 100_000
    assert settings["max_requests_jitter"] == 10_000


def test_the_environment_sets_how_many_requests_a_worker_serves(monkeypatch):
    settings = gunicorn_settings(monkeypatch, GUNICORN_MAX_REQUESTS="5000")

    assert settings["max_requests"] == 5000
    assert settings["max_requests_jitter"] == 500
