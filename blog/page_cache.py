"""The anonymous page cache and the HTTP caching of public pages.

A reader's request (GET or HEAD, no session cookie) for a public address is
answered from Django's cache when a page is there for the current content
version (blog.content_version), and the page made otherwise is kept for the
next reader, unless it could hold anything of one reader (a cookie, a CSRF
token, a session). Every public page also carries validators derived from
the version (ETag, Last-Modified), answers conditional requests with 304,
and lets shared proxies keep it for INKWELL_PROXY_CACHE_SECONDS. A request
with a session cookie (staff, writers) passes by the cache, is never kept,
and is marked private. The README's "Caching" section gives the argument.
"""

import hashlib
import math
from functools import cache as once
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_max_age,
    parse_etags,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, parse_http_date_safe

from blog import content_version

# Responses that are the same for every reader at one content version.
KEPT_STATUSES = frozenset({200, 301, 404, 410})
# Pages of a dead version are never read again; they go after this long (or
# sooner, when the cache needs the room).
KEPT_SECONDS = 24 * 60 * 60
# Cookies that make a request one person's: the session (staff, writers)
# and django.contrib.messages' cookie (a message waits for them).
PERSONAL_COOKIES = ("messages",)
# Never in a page that is the same for every reader.
CSRF_FIELD = b"csrfmiddlewaretoken"
# Whatever the view says, a cache must not hold these.
PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache")


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with content_version.request_scope():
            if not is_public_read(request):
                return self.get_response(request)
            if is_personal(request):
                response = self.get_response(request)
                add_never_cache_headers(response)
                return response
            return self.reader_response(request)

    def reader_response(self, request):
        stamp = content_version.current()
        validators = Validators(stamp, request)
        # Before the cache and the view: a browser's or proxy's copy with
        # this version's ETag is current. (A copy with a view's own ETag, a
        # feed's, and If-Modified-Since are checked against the page served.)
        if is_not_modified(request, validators.etag, last_modified=None):
            return validators.not_modified()
        key = page_key(stamp, request) if settings.INKWELL_PAGE_CACHE else None
        kept = cache.get(key) if key else None
        if kept is not None and not needs_the_view(request, kept):
            response = response_from(kept)
        else:
            response = self.get_response(request)
            if key and may_keep(request, response):
                cache.set(key, kept_form(response), KEPT_SECONDS)
        return validators.add_to(request, response)


class Validators:
    """A public page's validators at one content version."""

    def __init__(self, stamp, request):
        address = f"{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(f"{stamp.key}:{code_fingerprint()}:{address}".encode())
        # Weak: the same page, not necessarily the same bytes.
        self.etag = f'W/"{digest.hexdigest()[:32]}"'
        # Every change has a later whole second than the one before
        # (content_version.next_change_time), so a date is as exact as the
        # ETag.
        self.last_modified = math.floor(stamp.changed_at.timestamp())

    def add_to(self, request, response):
        """Add the validators and the cache headers; answer 304 when the
        request's own validators match the page it gets.
        """
        if response.status_code not in KEPT_STATUSES or is_private(response):
            return response
        if response.status_code == 200 and has_own_validators(response):
            # The view's own (a feed's) stay; it checked If-Modified-Since
            # itself (see needs_the_view), the ETag is checked here for a
            # kept copy.
            if is_not_modified(request, response["ETag"], last_modified=None):
                return self.not_modified(response)
        elif response.status_code == 200:
            response["ETag"] = self.etag
            if self.is_past():
                response["Last-Modified"] = http_date(self.last_modified)
            if is_not_modified(request, self.etag, self.last_modified):
                return self.not_modified(response)
        add_public_headers(response)
        return response

    def not_modified(self, response=None):
        """Return a 304 with the validators and cache headers of `response`,
        or of this version's page.
        """
        not_modified = HttpResponseNotModified()
        if response is None:
            not_modified["ETag"] = self.etag
            if self.is_past():
                not_modified["Last-Modified"] = http_date(self.last_modified)
        else:
            for header in ("ETag", "Last-Modified", "Cache-Control", "Expires"):
                if response.has_header(header):
                    not_modified[header] = response[header]
        add_public_headers(not_modified)
        return not_modified

    def is_past(self):
        # A burst of changes may run the time ahead of the clock; a date in
        # the future is no Last-Modified.
        return self.last_modified <= timezone.now().timestamp()


def is_not_modified(request, etag, last_modified):
    """Return whether the request's copy is the current one: its
    If-None-Match names `etag`, or (without one) its If-Modified-Since is no
    earlier than `last_modified`.
    """
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        # RFC 9110: If-Modified-Since is ignored when If-None-Match is sent.
        if etag is None:
            return False
        # Weak comparison, as RFC 9110 asks for If-None-Match. ("*", "any
        # page at all", gets the full answer: it may be a 404.)
        wanted = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
        return etag.removeprefix("W/") in wanted
    if_modified_since = parse_http_date_safe(
        request.headers.get("If-Modified-Since", "")
    )
    return (
        if_modified_since is not None
        and last_modified is not None
        and last_modified <= if_modified_since
    )


def has_own_validators(response):
    return response.has_header("ETag")


def needs_the_view(request, kept):
    """Return whether only the view can answer this request, although its
    page is kept: If-Modified-Since (without If-None-Match) for a page with
    its own validators. The feeds' Last-Modified header is their newest
    item's date, not the date their validator compares.
    """
    _status, headers, _content = kept
    return (
        "If-Modified-Since" in request.headers
        and "If-None-Match" not in request.headers
        and any(name.lower() == "etag" for name, _value in headers)
    )


def add_public_headers(response):
    # Browsers ask again every time (and get a 304); shared proxies may keep
    # the page for the configured window. The page differs for a signed-in
    # reader, whose session is a cookie.
    if get_max_age(response) is None:
        patch_cache_control(response, max_age=0)
    patch_cache_control(
        response, public=True, s_maxage=settings.INKWELL_PROXY_CACHE_SECONDS
    )
    patch_vary_headers(response, ["Cookie"])


def is_private(response):
    directives = response.get("Cache-Control", "").lower()
    return any(directive in directives for directive in PRIVATE_DIRECTIVES)


def is_public_read(request):
    """Return whether the request reads a page every reader sees alike."""
    if request.method not in ("GET", "HEAD"):
        return False
    return not request.path.startswith(private_prefixes())


def is_personal(request):
    """Return whether the request carries a cookie that makes its pages one
    person's. Checked without loading the session or the user: a reader's
    request costs no session query.
    """
    cookies = (settings.SESSION_COOKIE_NAME, *PERSONAL_COOKIES)
    return any(name in request.COOKIES for name in cookies)


@once
def private_prefixes():
    """Return the paths under which nothing is cached: the admin (login
    included), the editor's preview and uploads, uploaded and static files.
    """
    return (
        reverse("admin:index"),
        reverse("markdownx_upload").rsplit("upload/", 1)[0],
        settings.MEDIA_URL,
        settings.STATIC_URL,
    )


def may_keep(request, response):
    """Return whether `response` is the same for every reader, so that it
    may be kept for the next one.
    """
    session = getattr(request, "session", None)
    return (
        response.status_code in KEPT_STATUSES
        and not response.streaming
        and not response.cookies
        # A Vary from inside (CSRF's "Cookie", a view's own) would need a
        # key per variant.
        and not response.has_header("Vary")
        and not is_private(response)
        and not (session is not None and session.modified)
        and CSRF_FIELD not in response.content
    )


def page_key(stamp, request):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{code_fingerprint()}:{stamp.key}:{digest}"


def kept_form(response):
    return (response.status_code, list(response.items()), response.content)


def response_from(kept):
    status, headers, content = kept
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


@once
def code_fingerprint():
    """Return a digest of what makes pages besides the content: the code,
    the templates, the static files' names and the settings pages show.

    A deploy or a changed setting starts with an empty page cache, even when
    processes of the old and the new code share one Redis.
    """
    digest = hashlib.sha256(django.get_version().encode())
    for name in ("SITE_URL", "LANGUAGE_CODE", "TIME_ZONE", "DEBUG"):
        digest.update(f"{name}={getattr(settings, name)!r}".encode())
    for name in ("INKWELL_PAGE_SIZE", "INKWELL_FEED_SIZE", "STATIC_URL"):
        digest.update(f"{name}={getattr(settings, name)!r}".encode())
    base = Path(settings.BASE_DIR)
    folders = [base / "blog", base / "config", base / "templates"]
    files = sorted(
        path
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    for path in [*files, manifest]:
        if path.is_file():
            # Relative: app servers installed in different folders share.
            name = path.relative_to(base) if path.is_relative_to(base) else path.name
            digest.update(str(name).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
