from django.urls import get_script_prefix, get_urlconf
from django.utils.encoding import escape_uri_path
from django.utils.functional import SimpleLazyObject

from blog import site_chrome
from blog.models import SiteIdentity, remembered_reverse
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


# The addresses every page's header, footer and head link to, by route name
# in the blog's namespace.
SITE_LINKS = ("index", "tag_list", "archive", "search", "feed_rss", "feed_atom")


def links(request):
    """The site's own addresses every page links to, as `links.<name>`
    (`links.index`, `links.feed_rss`...), each reversed once per process
    (models.remembered_reverse): a `{% url %}` tag cost a reverse() on every
    page, eight times over.
    """
    script_prefix, urlconf = get_script_prefix(), get_urlconf()
    return {
        "links": {
            name: remembered_reverse(f"blog:{name}", script_prefix, urlconf)
            for name in SITE_LINKS
        }
    }
