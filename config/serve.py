"""What `make serve` runs: the production server, after the steps every
start needs.

The settings are read first, so a missing required setting stops here with
its one-line message before anything is done; then the database is migrated,
the static files are collected (compressed and hashed, for whitenoise), and
gunicorn replaces this process, so that it gets the signals a process
manager sends.
"""

import os
import sys

from config.environment import BASE_DIR, env_bool, stop

GUNICORN_CONFIG = BASE_DIR / "config" / "gunicorn.py"


def main():
    if env_bool("DJANGO_DEBUG"):
        stop(
            "make serve runs the production server, with debug off; unset "
            "DJANGO_DEBUG (make run is the development server)."
        )
    # gunicorn's settings too: a bad number stops here, not after migrating.
    from config import gunicorn  # noqa: F401

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config import checkout

    checkout.prepare()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False)
    call_command("collectstatic", interactive=False, verbosity=0)
    command = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG)]
    os.execv(sys.executable, [*command, "config.wsgi:application"])


if __name__ == "__main__":
    main()
