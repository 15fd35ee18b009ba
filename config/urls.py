from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from blog import editor_views

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
    path("", include("blog.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
