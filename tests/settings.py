"""The project's settings, with what a test run needs and no secret."""

import os
import sys
from urllib.parse import urlsplit

# Keep compiled modules, and pytest's test modules with their asserts
# rewritten, on disk even where PYTHONDONTWRITEBYTECODE is set: without them
# each xdist worker, and each later run (make test's second step), compiles
# the app and rewrites every test module again, about five seconds a process.
# pytest-django imports this module before Django's apps and any test module.
# (__pycache__ is in .gitignore.)
sys.dont_write_bytecode = False

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
# The test client and the live server speak plain HTTP.
os.environ.setdefault("DJANGO_SSL_REDIRECT", "0")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
# The test client's host; Django's test set-up adds it anyway.
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

# Under pytest-xdist (make test), each worker has a Redis database of its
# own (1, 2, ...): a test empties the cache, and one worker's page must
# never be another's.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and os.environ.get("REDIS_URL"):
    _redis = urlsplit(os.environ["REDIS_URL"])
    os.environ["REDIS_URL"] = _redis._replace(path=f"/{int(_worker[2:]) + 1}").geturl()

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)

# Serve static files from the source folders, as in development, so that
# pages and browser tests get them without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
