from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from blog import feeds, views
from blog.converters import MonthConverter, UnicodeSlugConverter, YearConverter

register_converter(UnicodeSlugConverter, "uslug")
register_converter(YearConverter, "yyyy")
register_converter(MonthConverter, "mm")

app_name = "blog"


def paged(route, view, name):
    """Return the routes of a paginated list: page 1 at `route`, named
    `name`, and /page/<n>/ below it, named `<name>_page` (PostListView).
    """
    return [
        path(route, view, name=name),
        path(f"{route}page/<int:page>/", view, name=f"{name}_page"),
    ]


urlpatterns = [
    *paged("", views.IndexView.as_view(), "index"),
    path("posts/<uslug:slug>/", views.post_detail, name="post_detail"),
    path("tags/", views.tag_list, name="tag_list"),
    *paged("tags/<uslug:slug>/", views.TagView.as_view(), "tag_detail"),
    path("archive/", views.archive_index, name="archive"),
    *paged("archive/<yyyy:year>/", views.ArchiveYearView.as_view(), "archive_year"),
    *paged(
        "archive/<yyyy:year>/<mm:month>/",
        views.ArchiveMonthView.as_view(),
        "archive_month",
    ),
    path("search/", views.search_results, name="search"),
    # Feeds are only read: any other method is 405, as on the pages.
    path("feed/", require_safe(feeds.site_rss), name="feed_rss"),
    path("feed/atom/", require_safe(feeds.site_atom), name="feed_atom"),
    path("tags/<uslug:slug>/feed/", require_safe(feeds.tag_rss), name="tag_feed_rss"),
    path(
        "tags/<uslug:slug>/feed/atom/",
        require_safe(feeds.tag_atom),
        name="tag_feed_atom",
    ),
]
