from django.utils.encoding import escape_uri_path
from django.utils.functional import SimpleLazyObject

from blog import site_chrome
from blog.models import SiteIdentity
from blog.rendering import absolute_url


def site(request):
    return {
        # Lazy: templates that never show it (the sitemap, most of the admin)
        # don't ask the cache or the database for it.
        "site": SimpleLazyObject(lambda: SiteIdentity.for_request(request)),
        # Each public page is its own canonical address: the path on the
        # public site, without any query string.
        "canonical_url": absolute_url(escape_uri_path(request.path)),
    }


def navigation(request):
    # Lazy, as the site identity is: pages that show no header ask nothing.
    return {"navigation_pages": SimpleLazyObject(lambda: site_chrome.load().navigation)}
