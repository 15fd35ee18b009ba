import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(env_changes, tmp_path):
    return run_python(["manage.py", "check"], env_changes, tmp_path)


def run_python(arguments, env_changes, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"DATABASE_URL", "SITE_URL"}
    }
    env["INKWELL_VAR_DIR"] = str(tmp_path)
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_missing_secret_key_stops_start_up_with_one_clear_line(tmp_path):
    result = run_check({}, tmp_path)

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Inkwell cannot start: DJANGO_SECRET_KEY is not set. Set it to a long "
        "random string (python3 -c 'import secrets; "
        "print(secrets.token_urlsafe(50))'), or set DJANGO_DEBUG=1 for local "
        "development."
    ]


def test_a_missing_site_url_stops_start_up_when_debug_is_off(tmp_path):
    result = run_check({"DJANGO_SECRET_KEY": "x" * 50}, tmp_path)

    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Inkwell cannot start: SITE_URL is not set. Set it to the blog's public "
        "address, e.g. https://blog.example.com."
    )


def test_a_site_url_without_a_scheme_is_a_clear_error(tmp_path):
    result = run_check(
        {"DJANGO_SECRET_KEY": "x" * 50, "SITE_URL": "blog.example.com"}, tmp_path
    )

    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Inkwell cannot start: SITE_URL must be an absolute http(s) address "
        "such as https://blog.example.com, not 'blog.example.com'."
    )


def test_a_missing_allowed_hosts_stops_start_up_when_debug_is_off(tmp_path):
    result = run_check(
        {"DJANGO_SECRET_KEY": "x" * 50, "SITE_URL": "https://blog.example.com"},
        tmp_path,
    )

    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Inkwell cannot start: DJANGO_ALLOWED_HOSTS is not set. Set it to the "
        "host names the blog answers to, comma-separated, e.g. blog.example.com."
    )


def test_a_secret_key_site_url_and_allowed_hosts_let_the_site_start(tmp_path):
    result = run_check(
        {
            "DJANGO_SECRET_KEY": "x" * 50,
            "SITE_URL": "https://blog.example.com",
            "DJANGO_ALLOWED_HOSTS": "blog.example.com",
        },
        tmp_path,
    )

    assert result.returncode == 0, result.stderr


def test_debug_mode_generates_a_secret_key_once_and_keeps_it(tmp_path):
    # Also: debug mode needs no DJANGO_ALLOWED_HOSTS.
    first = run_check({"DJANGO_DEBUG": "1"}, tmp_path)
    key = (tmp_path / "secret_key").read_text()
    second = run_check({"DJANGO_DEBUG": "1"}, tmp_path)

    assert first.returncode == second.returncode == 0
    assert len(key) > 40
    assert (tmp_path / "secret_key").read_text() == key


def test_importing_the_settings_writes_nothing(tmp_path):
    var_dir = tmp_path / "var"
    env_changes = {"DJANGO_DEBUG": "1", "DJANGO_SECRET_KEY": "x" * 50}

    result = run_python(
        ["-c", "import config.settings"],
        {**env_changes, "INKWELL_VAR_DIR": str(var_dir)},
        tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert not var_dir.exists()


def test_a_bad_number_is_a_clear_error(tmp_path):
    result = run_check(
        {
            "DJANGO_SECRET_KEY": "x" * 50,
            "SITE_URL": "https://blog.example.com",
            "DJANGO_ALLOWED_HOSTS": "blog.example.com",
            "INKWELL_PAGE_SIZE": "ten",
        },
        tmp_path,
    )

    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Inkwell cannot start: INKWELL_PAGE_SIZE must be a whole number, not 'ten'."
    )


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(settings):
    from django.conf import settings as django_settings

    database = django_settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        import pytest

        pytest.skip("WAL and the busy timeout are SQLite settings.")
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["timeout"] >= 5
