"""What every reader's page shows around its content: the site's identity
and the pages listed in its header, read together in one query and kept for
the content version (blog.version_cache).

Both change rarely, yet every write bumps the version; read apart they were
two of the queries of the first page after each write.
"""

from typing import NamedTuple

from django.db import connections, router

from blog import version_cache
from blog.pages import Page
from blog.site_identity import SiteIdentity


class SiteChrome(NamedTuple):
    identity: SiteIdentity
    # (title, URL) of each page in the header, in their order.
    navigation: list


def load():
    """Return the SiteChrome, kept for the current content version."""
    return version_cache.kept("site-chrome", read)


def read():
    """Return the SiteChrome from the database, making the identity's row
    on a database that has none yet.
    """
    rows = _rows()
    if not rows:
        SiteIdentity.objects.get_or_create(pk=1)
        rows = _rows()
    fields = SiteIdentity._meta.concrete_fields
    using = router.db_for_read(SiteIdentity)
    identity = SiteIdentity.from_db(
        using, [field.attname for field in fields], rows[0][: len(fields)]
    )
    navigation = [
        (title, Page(title=title, path=path).get_absolute_url())
        for title, path in (row[len(fields) :] for row in rows)
        if path is not None
    ]
    return SiteChrome(identity, navigation)


def _rows():
    # The identity's row once per page in the navigation (once with NULLs
    # when there is none): the same pages, in the same order, as
    # Page.objects.in_navigation(). None of the identity's columns needs a
    # converter (no dates, no booleans); a test holds every field to what
    # the ORM reads.
    connection = connections[router.db_for_read(SiteIdentity)]
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"identity.{quote(field.column)}"
        for field in SiteIdentity._meta.concrete_fields
    )
    sql = (
        f"SELECT {columns}, page.title, page.path"
        f" FROM {quote(SiteIdentity._meta.db_table)} AS identity"
        f" LEFT JOIN {quote(Page._meta.db_table)} AS page"
        " ON page.status = %s AND page.show_in_navigation = %s"
        " WHERE identity.id = %s"
        " ORDER BY page.navigation_order, page.title, page.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Page.Status.PUBLISHED, True, 1])
        return cursor.fetchall()
