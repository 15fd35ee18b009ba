from django.urls import path, register_converter

from blog import feeds, views
from blog.converters import MonthConverter, UnicodeSlugConverter, YearConverter

register_converter(UnicodeSlugConverter, "uslug")
register_converter(YearConverter, "yyyy")
register_converter(MonthConverter, "mm")

app_name = "blog"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("page/<int:page>/", views.IndexView.as_view(), name="index_page"),
    path("posts/<uslug:slug>/", views.post_detail, name="post_detail"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/<uslug:slug>/", views.TagView.as_view(), name="tag_detail"),
    path(
        "tags/<uslug:slug>/page/<int:page>/",
        views.TagView.as_view(),
        name="tag_detail_page",
    ),
    path("archive/", views.archive_index, name="archive"),
    path("archive/<yyyy:year>/", views.ArchiveYearView.as_view(), name="archive_year"),
    path(
        "archive/<yyyy:year>/page/<int:page>/",
        views.ArchiveYearView.as_view(),
        name="archive_year_page",
    ),
    path(
        "archive/<yyyy:year>/<mm:month>/",
        views.ArchiveMonthView.as_view(),
        name="archive_month",
    ),
    path(
        "archive/<yyyy:year>/<mm:month>/page/<int:page>/",
        views.ArchiveMonthView.as_view(),
        name="archive_month_page",
    ),
    path("feed/", feeds.site_rss, name="feed_rss"),
    path("feed/atom/", feeds.site_atom, name="feed_atom"),
    path("tags/<uslug:slug>/feed/", feeds.tag_rss, name="tag_feed_rss"),
    path("tags/<uslug:slug>/feed/atom/", feeds.tag_atom, name="tag_feed_atom"),
]
