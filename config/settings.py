"""Inkwell's settings: one module, read from the environment.

Defaults suit a laptop (SQLite and files under var/, a local-memory cache).
Production sets DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL,
REDIS_URL and SITE_URL; see the README's configuration table.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from config.environment import (
    BASE_DIR,
    VAR_DIR,
    env_bool,
    env_int,
    env_list,
    env_switch,
    stop,
)
from config.media_storage import media_origin, media_storage

DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip()
if not SECRET_KEY and not DEBUG:
    stop(
        "DJANGO_SECRET_KEY is not set. Set it to a long random string "
        "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or set DJANGO_DEBUG=1 for local development."
    )
if not SECRET_KEY:
    # manage.py, wsgi.py and asgi.py put the development key (kept under
    # var/) in the environment first: see config.checkout.
    stop(
        "DJANGO_SECRET_KEY is not set. In debug mode, start Inkwell through "
        "manage.py (make run), which keeps a development key under var/."
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if not SITE_URL:
    if not DEBUG:
        # Feeds, canonical links and the sitemap would all point at localhost.
        stop(
            "SITE_URL is not set. Set it to the blog's public address, "
            "e.g. https://blog.example.com."
        )
    SITE_URL = "http://127.0.0.1:8000"
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname:
    stop(
        f"SITE_URL must be an absolute http(s) address such as "
        f"https://blog.example.com, not {SITE_URL!r}."
    )
if not ALLOWED_HOSTS and not DEBUG:
    # Django would answer every request 400 Bad Request, and say why only
    # in a log line per request.
    stop(
        "DJANGO_ALLOWED_HOSTS is not set. Set it to the host names the blog "
        f"answers to, comma-separated, e.g. {_site.hostname}."
    )

INSTALLED_APPS = [
    # django.contrib.admin, its header and titles showing the site's title.
    "blog.admin_site.InkwellAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Old addresses (a WordPress import's) redirect to new ones; see
    # RedirectFallbackMiddleware below.
    "django.contrib.sites",
    "django.contrib.redirects",
    "markdownx",
    "blog",
]
# Login throttling (django-axes); its settings are in their own block below.
INSTALLED_APPS += ["axes"]
# Versions of posts and pages, with diff and restore in the admin
# (blog.revisions).
INSTALLED_APPS += ["reversion"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After CommonMiddleware, so that it sees a 404 first: an old address
    # such as /archives/123 redirects in one hop, not via /archives/123/.
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
]
# Security headers, odd requests and login throttling (issue 12): the policy
# and the NUL check come right after SecurityMiddleware, before anything asks
# the database; axes's middleware comes last, as it asks.
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE[_after_security:_after_security] = [
    "blog.content_security_policy.ContentSecurityPolicyMiddleware",
    "blog.nul_bytes.RejectNulBytesMiddleware",
]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]

ROOT_URLCONF = "config.urls"
# django.contrib.redirects keeps its rows per site; Inkwell is one site.
SITE_ID = 1
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "blog.context_processors.site",
                "blog.context_processors.navigation",
                "blog.context_processors.links",
            ],
        },
    },
]

# Database: SQLite under var/ (created by manage.py) unless DATABASE_URL
# names another.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE transactions
    # and a busy timeout make a second writer wait instead of failing with
    # "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_switch(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # PostgreSQL: the server binds the parameters, and a statement a
    # connection asks twice is prepared there: planned once, not on every
    # request (the reader's queries are few, with fixed SQL:
    # blog.compiled_queries). Off for PgBouncer before 1.21 in transaction
    # mode, which cannot keep prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 2}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "inkwell",
            # Redis answers in a millisecond; one that does not answer in a
            # second is away, and pages are made without it
            # (blog.shared_cache).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# The language of the reader's pages and feeds (<html lang>, feed language,
# translated texts, date formats); English dates come from config/formats/en.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-us")
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded media: files under MEDIA_ROOT, or an S3-compatible bucket
# (config.media_storage; README, "Media storage").
STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security headers (issue 12; README "Security headers") ---------------
# Content-Security-Policy through django-csp. Readers' pages run no script
# at all; remote images are allowed because posts may show them (README,
# "Remote images"), unless INKWELL_CSP_REMOTE_IMAGES is off.
_REMOTE_IMAGES = (
    ["https:", "http:"] if env_bool("INKWELL_CSP_REMOTE_IMAGES", True) else []
)
# Media in a bucket come from its address, which counts as the site's own.
_MEDIA_ORIGIN = media_origin(STORAGES["default"])
if _MEDIA_ORIGIN and not _REMOTE_IMAGES:
    _REMOTE_IMAGES = [_MEDIA_ORIGIN]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "img-src": ["'self'", *_REMOTE_IMAGES],
        "style-src": ["'self'"],
    }
}
# The admin's pages (blog.content_security_policy picks this one under the
# admin's address): its own scripts and the editor's, from this site only and
# never inline. The editor's preview frame (srcdoc) inherits this policy; its
# <base> only sets a target, which base-uri does not restrict.
INKWELL_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "img-src": ["'self'", "data:", *_REMOTE_IMAGES],
        "style-src": ["'self'"],
    }
}
# Uploaded files opened directly are inert: no script, no plugin, no form.
INKWELL_MEDIA_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {"default-src": ["'none'"], "sandbox": True}
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = os.environ.get("DJANGO_REFERRER_POLICY", "same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind a reverse proxy that terminates TLS, trust its X-Forwarded-Proto
# (is the request HTTPS?) and the address it appends to X-Forwarded-For (who
# is logging in?). Directly exposed, a client could forge both.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")
# Asking to be on the browsers' HSTS preload list is the operator's choice
# (DJANGO_HSTS_PRELOAD): it binds the whole domain and is slow to undo.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Login throttling (issue 12; README "Logging in") ----------------------
# django-axes counts failed logins in the database, so every app server sees
# the same count. After INKWELL_LOGIN_FAILURE_LIMIT failures an account is
# locked, and so is the address they came from, for the cool-off time since
# the last failure; `manage.py axes_reset` unlocks.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# No start-up banner on every manage.py command.
AXES_VERBOSE = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("INKWELL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("INKWELL_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
# The lockout page says how long to wait (templates/admin/login_locked_out.html).
AXES_LOCKOUT_CALLABLE = "blog.login_throttle.locked_out"
AXES_CLIENT_IP_CALLABLE = "blog.login_throttle.client_address"
# A successful login does not wipe the count: with the address as a lockout
# parameter it would wipe the address's failures against other accounts too,
# so whoever has one account could guess another's password without end.
AXES_RESET_ON_SUCCESS = False

# Blog behaviour.
INKWELL_PAGE_SIZE = env_int("INKWELL_PAGE_SIZE", 10)
INKWELL_FEED_SIZE = env_int("INKWELL_FEED_SIZE", 20)
# A post's body or excerpt larger than this (UTF-8) is refused by the admin
# form and the preview: rendering runs inside the save request.
INKWELL_MAX_BODY_KB = env_int("INKWELL_MAX_BODY_KB", 1024)

# The admin's editor (django-markdownx). Its upload and preview URLs are
# served, staff only, by blog.editor_views (the preview by blog.rendering, as
# saving stores it), which checks images with Pillow (blog.uploads) whatever
# markdownx's own settings say; the ones below keep markdownx's defaults (which
# accept SVG) from applying anywhere.
MARKDOWNX_EDITOR_RESIZABLE = False
# strftime codes, expanded at upload time: images/2025/06/<random>.png
MARKDOWNX_MEDIA_PATH = "images/%Y/%m/"
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]
MARKDOWNX_UPLOAD_MAX_SIZE = env_int("INKWELL_UPLOAD_MAX_MB", 10) * 1024 * 1024
# Width x height (x frames, for an animation) above which an upload is refused:
# decoding takes about four bytes a pixel.
INKWELL_IMAGE_MAX_PIXELS = env_int("INKWELL_IMAGE_MAX_PIXELS", 40_000_000)
# Wider images are scaled down to this width when uploaded.
INKWELL_IMAGE_MAX_WIDTH = env_int("INKWELL_IMAGE_MAX_WIDTH", 2000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": sys.stderr}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Caching (issue 13; README "Caching") ------------------------------------
# Anonymous readers' pages and feeds are kept in the cache above, keyed by the
# content version (blog.content_version), which every write readers could see
# bumps: no page is ever stale. Off by default in debug mode, where templates
# change without a restart.
INKWELL_PAGE_CACHE = env_switch("INKWELL_PAGE_CACHE", not DEBUG)
# How long a shared proxy (nginx, a CDN) may keep a public page without
# asking again (s-maxage): the one deliberate window in which a reader can
# get a page older than the last change. Browsers always ask (max-age=0).
INKWELL_PROXY_CACHE_SECONDS = env_int("INKWELL_PROXY_CACHE_SECONDS", 10)
if INKWELL_PROXY_CACHE_SECONDS < 0:
    stop(
        "INKWELL_PROXY_CACHE_SECONDS must be 0 or more (0: proxies keep "
        f"nothing), not {INKWELL_PROXY_CACHE_SECONDS}."
    )
# Outermost: a kept page is answered before any other middleware runs. It
# was kept as the others left it, with the security headers and the
# Content-Security-Policy, and it never passed through the session, CSRF or
# messages middleware with a session (which could add a cookie).
MIDDLEWARE.insert(0, "blog.page_cache.PageCacheMiddleware")

# Old addresses (django.contrib.redirects) never lead a reader to a draft or
# a scheduled post: Inkwell's subclass of the fallback keeps the 404.
MIDDLEWARE = [
    "blog.redirect_targets.VisibleRedirectFallbackMiddleware"
    if name == "django.contrib.redirects.middleware.RedirectFallbackMiddleware"
    else name
    for name in MIDDLEWARE
]
