"""The admin site, named after the blog: its header and page titles show
the site title from Site identity instead of "Django administration".

The title is read through SiteIdentity.load(), the cached row the reader's
pages use (no query while it is cached; saving the identity clears it), and
only when a page shows it.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.utils.functional import lazy


def _site_title():
    # Imported here: INSTALLED_APPS imports this module before models load.
    from blog.models import SiteIdentity

    return SiteIdentity.load().title


site_title = lazy(_site_title, str)


class InkwellAdminSite(AdminSite):
    def each_context(self, request):
        context = super().each_context(request)
        context["site_header"] = context["site_title"] = site_title()
        return context


class InkwellAdminConfig(AdminConfig):
    """django.contrib.admin, with InkwellAdminSite as `admin.site`."""

    default_site = "blog.admin_site.InkwellAdminSite"
