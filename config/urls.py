from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, register_converter
from django.views.decorators.http import require_safe

from blog import editor_views
from blog import views as blog_views
from blog.converters import PagePathConverter
from blog.sitemaps import SITEMAPS

# Django's default handlers render templates/404.html (with the request, so
# the site's identity shows) and templates/500.html (with an empty context:
# that page needs neither the database nor the context processors, which may
# be what failed). An old address redirects before the 404 page is drawn
# (blog.redirect_targets.page_not_found).
handler404 = "blog.redirect_targets.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The editor's preview and upload, staff only, at the paths and names
    # django-markdownx's widget uses; markdownx.urls is not included.
    path("markdownx/upload/", editor_views.upload, name="markdownx_upload"),
    path(
        "markdownx/markdownify/",
        editor_views.markdownify,
        name="markdownx_markdownify",
    ),
    path("robots.txt", blog_views.robots_txt, name="robots_txt"),
    path("favicon.ico", blog_views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        require_safe(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("", include("blog.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    from blog.media_files import serve_media

    # Uploaded files with the headers that make them inert (blog.media_files).
    urlpatterns += static(settings.MEDIA_URL, view=serve_media)

# Standalone pages answer at any address nothing above takes, so this route
# comes last, after the media files too. Their slugs may not start another
# route (blog/reserved_paths.py); an address no page has stays a 404.
register_converter(PagePathConverter, "page_path")
urlpatterns += [
    path("<page_path:path>/", blog_views.page_detail, name="page_detail"),
]
