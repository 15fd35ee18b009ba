from django.urls import path, register_converter

from blog import feeds, views
from blog.converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

app_name = "blog"

urlpatterns = [
    path("", views.index, name="index"),
    path("posts/<uslug:slug>/", views.post_detail, name="post_detail"),
    path("tags/<uslug:slug>/", views.tag_detail, name="tag_detail"),
    path("feed/", feeds.site_rss, name="feed_rss"),
    path("feed/atom/", feeds.site_atom, name="feed_atom"),
    path("tags/<uslug:slug>/feed/", feeds.tag_rss, name="tag_feed_rss"),
    path("tags/<uslug:slug>/feed/atom/", feeds.tag_atom, name="tag_feed_atom"),
]
