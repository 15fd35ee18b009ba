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
import threading
from collections import OrderedDict
from functools import cache as once
from pathlib import Path
from typing import NamedTuple

import django
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
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

from blog import content_version, shared_cache

# Responses that are the same for every reader at one content version.
KEPT_STATUSES = frozenset({200, 301, 404, 410})
# Pages of a dead version are never read again; they go after this long (or
# sooner, when the cache needs the room).
KEPT_SECONDS = 24 * 60 * 60
# Each process remembers the pages it served last, up to this many bytes of
# them (well within the memory a worker is allowed).
RECENT_PAGES_BYTES = 32 * 1024 * 1024
# Cookies that make a request one person's: the session (staff, writers)
# and django.contrib.messages' cookie (a message waits for them).
PERSONAL_COOKIES = ("messages",)
# Never in a page that is the same for every reader.
CSRF_FIELD = b"csrfmiddlewaretoken"
# Whatever the view says, a cache must not hold these.
PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache")


class PageCacheMiddleware:
    """The outermost middleware: a kept page is answered before any other
    middleware runs, with the headers they added when it was made (security
    headers, Content-Security-Policy). Under a WSGI server, KeptPageApplication
    answers those requests before Django's request handling even starts;
    this answers them under the test client and runserver, and keeps pages.
    """

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
        answer = kept_answer(request)
        if answer is not None:
            return answer
        # The stamp read for kept_answer (one read per request): read before
        # the view, so a page is never kept under a version newer than its
        # content.
        stamp = content_version.current()
        address = reader_address(request)
        validators = Validators(stamp, address)
        response = self.get_response(request)
        keep = settings.INKWELL_PAGE_CACHE and may_keep(request, response)
        validators.finish(response)
        if keep:
            shared_cache.set(
                address_key(stamp, address), kept_form(response), KEPT_SECONDS
            )
        return validators.answer(request, response)


class KeptPageApplication:
    """The WSGI application around Django's: a reader's request for a kept
    page (or one whose copy is current, a 304) is answered from the cache
    before Django's request handling starts, so that it costs what serving
    bytes from memory costs, plus one read of the content version and one
    cache read. Everything else goes to Django, in the same request scope
    (the version is read once either way).
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        with content_version.request_scope():
            page = self.kept_response(environ)
            if page is None:
                return self.application(environ, start_response)
        start_response(page.status, list(page.headers))
        return [page.body]

    def kept_response(self, environ):
        """Return the ServedPage that answers the request, or None."""
        request = self.application.request_class(environ)
        if not is_public_read(request) or is_personal(request):
            return None
        try:
            return kept_served_page(request)
        except DisallowedHost:
            # Django answers it (400), as it answers any request it refuses.
            return None
        except DatabaseError:
            # The connection broke (a database restart): Django's request
            # handling opens a new one and answers, or reports the error.
            connections[DEFAULT_DB_ALIAS].close()
            return None


def kept_answer(request, *, shared=True):
    """Return the answer to a reader's request that needs no view: a 304
    when the copy it has is current, or the page kept for it; else None.

    `shared`: the caller may write on the page (the middleware's caller,
    the test client), so it gets a copy of its own from the cache; else
    (the WSGI application, which only reads it) the page this process
    remembers (recent_page).
    """
    stamp = content_version.current()
    address = reader_address(request)
    validators = Validators(stamp, address)
    # Before the cache: a browser's or proxy's copy with this version's ETag
    # is current. (A copy with a view's own ETag, a feed's, and
    # If-Modified-Since are checked against the page kept.)
    if is_not_modified(request, validators.etag, last_modified=None):
        return validators.not_modified()
    if not settings.INKWELL_PAGE_CACHE:
        return None
    if shared:
        kept = shared_cache.get(address_key(stamp, address))
    else:
        served = recent_page(stamp, address)
        kept = None if served is None else served.response
    if kept is None or needs_the_view(request, kept, validators.etag):
        return None
    return validators.answer(request, kept)


def kept_served_page(request):
    """Return the ServedPage that answers a reader's request without a
    view, or None (the WSGI application's kept_answer).

    A request that asks whether its copy is current (If-None-Match,
    If-Modified-Since) goes through kept_answer. Any other gets the kept
    page as it is, already in the form a WSGI server takes: the common
    request costs no validators, no hashing and no header walk.
    """
    if not settings.INKWELL_PAGE_CACHE or is_conditional(request):
        answer = kept_answer(request, shared=False)
        return None if answer is None else ServedPage.of(answer)
    return recent_page(content_version.current(), reader_address(request))


def recent_page(stamp, address):
    """Return the ServedPage of the page kept for `address` at `stamp`, or
    None: from this process's recent pages, else from the cache (and
    remembered for the next request). As the key holds the content
    version, a page remembered is never out of date.
    """
    # Per process, where the code is the same: no fingerprint, no digest.
    key = (stamp.key, address)
    served = recent_pages.get(key)
    if served is None:
        kept = shared_cache.get(address_key(stamp, address))
        if kept is None:
            return None
        served = ServedPage.of(kept)
        recent_pages.add(key, served)
    return served


def is_conditional(request):
    return (
        "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
    )


class ServedPage(NamedTuple):
    """A page as a WSGI application hands it to the server: its status
    line, its headers and its body, worked out once.
    """

    response: HttpResponse
    status: str
    headers: tuple
    body: bytes

    @classmethod
    def of(cls, response):
        return cls(
            response,
            f"{response.status_code} {response.reason_phrase}",
            tuple(response.items()),
            response.content,
        )


class RecentPages:
    """The pages (ServedPage) this process served last, up to a number of
    bytes of their bodies: a kept page costs no cache read (no unpickling,
    no trip to Redis).
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.pages = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def add(self, key, page):
        size = len(page.body)
        if size > self.max_bytes:
            return
        with self.lock:
            if key in self.pages:
                return
            self.pages[key] = page
            self.size += size
            while self.size > self.max_bytes:
                _key, oldest = self.pages.popitem(last=False)
                self.size -= len(oldest.body)


recent_pages = RecentPages(RECENT_PAGES_BYTES)


def reader_address(request):
    return f"{request.scheme}://{request.get_host()}{request.get_full_path()}"


class Validators:
    """A public page's validators at one content version."""

    def __init__(self, stamp, address):
        digest = hashlib.sha256(f"{stamp.key}:{code_fingerprint()}:{address}".encode())
        # Weak: the same page, not necessarily the same bytes.
        self.etag = f'W/"{digest.hexdigest()[:32]}"'
        # Every change has a later whole second than the one before
        # (content_version.next_change_time), so a date is as exact as the
        # ETag.
        self.last_modified = math.floor(stamp.changed_at.timestamp())

    def finish(self, response):
        """Add the validators and the cache headers to a page every reader
        may get.
        """
        if response.status_code not in KEPT_STATUSES or is_private(response):
            return
        # A view's own validators (a feed's) stay.
        if response.status_code == 200 and not has_own_validators(response):
            response["ETag"] = self.etag
            if self.is_past():
                response["Last-Modified"] = http_date(self.last_modified)
        add_public_headers(response)

    def answer(self, request, response):
        """Return `response`, or a 304 when the request's own validators
        match it.
        """
        if response.status_code != 200 or is_private(response):
            return response
        if response.get("ETag") != self.etag:
            # The view's own (a feed's); it checked If-Modified-Since itself
            # (see needs_the_view), the ETag is checked here for a kept copy.
            last_modified = None
        else:
            last_modified = self.last_modified if self.is_past() else None
        if is_not_modified(request, response.get("ETag"), last_modified):
            return self.not_modified(response)
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
            add_public_headers(not_modified)
        else:
            for header in ("ETag", "Last-Modified", "Cache-Control", "Expires", "Vary"):
                if response.has_header(header):
                    not_modified[header] = response[header]
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
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        # RFC 9110: If-Modified-Since is ignored when If-None-Match is sent.
        if etag is None:
            return False
        # Weak comparison, as RFC 9110 asks for If-None-Match. ("*", "any
        # page at all", gets the full answer: it may be a 404.)
        wanted = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
        return etag.removeprefix("W/") in wanted
    if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if not if_modified_since or last_modified is None:
        return False
    if_modified_since = parse_http_date_safe(if_modified_since)
    return (
        if_modified_since is not None
        and last_modified is not None
        and last_modified <= if_modified_since
    )


def has_own_validators(response):
    return response.has_header("ETag")


def needs_the_view(request, kept, etag):
    """Return whether only the view can answer this request, although its
    page is kept: If-Modified-Since (without If-None-Match) for a page with
    its own validators (an ETag other than this version's `etag`). The
    feeds' Last-Modified header is their newest item's date, not the date
    their validator compares.
    """
    return (
        "HTTP_IF_MODIFIED_SINCE" in request.META
        and "HTTP_IF_NONE_MATCH" not in request.META
        and kept.get("ETag", etag) != etag
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
    if "HTTP_COOKIE" not in request.META:
        return False
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
        and varies_by_cookie_at_most(response)
        and not is_private(response)
        and not (session is not None and session.modified)
        and CSRF_FIELD not in response.content
    )


def varies_by_cookie_at_most(response):
    """Return whether the response varies by nothing but the Cookie header.

    A page varies by Cookie when the view looked at the session (the
    "Edit" link staff see): every request that reaches the cache has no
    session cookie, so every one gets the same page. Any other Vary (a
    view's own) would need a key per variant.
    """
    return all(
        name.strip().lower() == "cookie"
        for name in response.get("Vary", "").split(",")
        if name.strip()
    )


def page_key(stamp, request):
    return address_key(stamp, reader_address(request))


def address_key(stamp, address):
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{code_fingerprint()}:{stamp.key}:{digest}"


def kept_form(response):
    """Return the copy of `response` to keep: a plain response (not the
    view's TemplateResponse, nor one holding its request), which the cache
    pickles whole, so that reading it back builds no headers again.
    """
    return HttpResponse(
        response.content, status=response.status_code, headers=response.headers
    )


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
