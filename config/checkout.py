"""What this checkout needs on disk before a management command starts.

The settings only read the environment. manage.py calls `prepare()` first, so
that `make run`, `migrate` and the rest find var/ and, in debug mode, the
development secret key, while importing the settings (tests, gunicorn) writes
nothing.
"""

import os
import secrets

from config.environment import VAR_DIR, env_bool


def prepare():
    """Create var/ for the SQLite database, and give a debug run the key kept
    in var/secret_key (generated the first time) unless DJANGO_SECRET_KEY is
    set.
    """
    if not os.environ.get("DATABASE_URL", "").strip():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    if env_bool("DJANGO_DEBUG") and not os.environ.get("DJANGO_SECRET_KEY", "").strip():
        os.environ["DJANGO_SECRET_KEY"] = development_secret_key()


def development_secret_key():
    """Return a key generated once for this checkout and kept under var/."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()
