"""Where a redirect may send a reader: never to a post or page they may not
see yet.

An old address (a WordPress import's, kept for a draft so that it works
once the draft is published) would otherwise answer 301 to the draft's
address: a 404, but one whose slug, often the title, tells what is coming.
"""

from urllib.parse import urlsplit

from django.contrib.redirects.middleware import RedirectFallbackMiddleware
from django.http import HttpResponseNotFound
from django.urls import Resolver404, resolve
from django.views import defaults

from blog.models import Page, Post


def is_hidden_from_readers(url):
    """Return whether `url` is the address of a draft or scheduled post, or
    of a draft page: somewhere a reader gets a 404 that names it.
    """
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    if match.view_name == "blog:post_detail":
        slug = match.kwargs["slug"]
        visible = Post.objects.published()
        return not (
            visible.filter(slug=slug).exists() or visible.formerly_at(slug).exists()
        )
    if match.view_name == "page_detail":
        return not Page.objects.published().filter(path=match.kwargs["path"]).exists()
    return False


def may_redirect(request, url):
    """Return whether this request may be sent to `url`: staff may go
    anywhere (they read drafts); readers only where something is visible.
    """
    return request.user.is_staff or not is_hidden_from_readers(url)


class VisibleRedirectFallbackMiddleware(RedirectFallbackMiddleware):
    """django.contrib.redirects' fallback, which keeps the 404 instead of
    redirecting a reader to a draft or a scheduled post.
    """

    def process_response(self, request, response):
        if getattr(request, "_redirect_looked_up", False):
            return response  # page_not_found below asked already
        redirected = super().process_response(request, response)
        target = redirected.get("Location")
        if target is None or may_redirect(request, target):
            return redirected  # no redirect (or 410 Gone), or one allowed
        return response


def page_not_found(request, exception):
    """handler404: an old address answers its redirect (or 410) before the
    404 page is drawn, instead of the middleware replacing a finished page:
    drawing it, with the site's chrome, cost ten times the lookup, and a
    WordPress import keeps hundreds of old addresses. Anything else gets
    Django's own 404 page; the middleware does not ask again.
    """
    looked_up = VisibleRedirectFallbackMiddleware(HttpResponseNotFound)
    not_found = HttpResponseNotFound()
    response = looked_up.process_response(request, not_found)
    request._redirect_looked_up = True
    if response is not not_found:
        return response
    return defaults.page_not_found(request, exception)
