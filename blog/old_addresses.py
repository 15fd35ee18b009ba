"""Old addresses that redirect to a post or page: django.contrib.redirects
rows (site 1, old path -> the post's or page's URL), as a WordPress import
leaves them.

A post's or page's old addresses are the rows whose new path is its URL
(plus, for a post, its slug history in blog.slug_redirects). When that URL
changes, the rows follow it, so every old address still takes one hop.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.redirects.models import Redirect

from blog import content_version

# Query parameters by which WordPress finds a post or page on its front
# page: /?p=123, /?page_id=4.
ID_PARAMETERS = ("p", "page_id")


def follow_move(old_url, new_url):
    """Point the old addresses of `old_url` at `new_url`; return how many."""
    if not old_url or old_url == new_url:
        return 0
    rows = Redirect.objects.filter(site_id=settings.SITE_ID, new_path=old_url)
    moved = rows.update(new_path=new_url)
    if moved:
        # update() sends no signal; readers follow these rows.
        content_version.bump()
    return moved


def old_paths_by_url():
    """Return {url: [old path, ...]} for every old address, in one query."""
    by_url = defaultdict(list)
    rows = Redirect.objects.filter(site_id=settings.SITE_ID)
    for old_path, new_path in rows.values_list("old_path", "new_path"):
        by_url[new_path].append(old_path)
    return by_url


def keep(old_path, url):
    """Make `old_path` redirect to `url`, whatever it led to before."""
    Redirect.objects.update_or_create(
        site_id=settings.SITE_ID, old_path=old_path, defaults={"new_path": url}
    )


def old_paths(url):
    """Return the old paths that redirect to `url`, sorted."""
    rows = Redirect.objects.filter(site_id=settings.SITE_ID, new_path=url)
    return sorted(rows.values_list("old_path", flat=True))


def id_query_target(request):
    """Return where an old `/?p=ID` or `/?page_id=ID` address redirects, or
    None when the request asks no such thing or no row knows the id.

    Such an address reaches a page that exists (the index), so the 404-only
    RedirectFallbackMiddleware never sees it.
    """
    for name in ID_PARAMETERS:
        value = request.GET.get(name)
        if value:
            old_path = f"{request.path}?{name}={value}"
            return (
                Redirect.objects.filter(site_id=settings.SITE_ID, old_path=old_path)
                .values_list("new_path", flat=True)
                .first()
            )
    return None
