from django.conf import settings
from django.utils.encoding import escape_uri_path

from blog.models import SiteIdentity


def site(request):
    return {
        "site": SiteIdentity.load(),
        # Each public page is its own canonical address: the path on the
        # public site, without any query string.
        "canonical_url": settings.SITE_URL + escape_uri_path(request.path),
    }
