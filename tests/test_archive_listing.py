"""The archive index's months, built in Python (blog.archive_listing)."""

from datetime import UTC, datetime

from django.utils import translation

from blog.archive_listing import months_html


def test_each_month_links_to_its_archive_with_its_name_and_count():
    months = [
        (datetime(2024, 3, 1, tzinfo=UTC), 12),
        (datetime(2024, 1, 1, tzinfo=UTC), 1),
    ]

    assert months_html(months).split("\n") == [
        '<li><a href="/archive/2024/03/">March</a> '
        '<span class="count">(12)</span></li>',
        '<li><a href="/archive/2024/01/">January</a> '
        '<span class="count">(1)</span></li>',
    ]


def test_month_names_are_the_active_languages():
    # As the template's date filter named them.
    with translation.override("de"):
        html = months_html([(datetime(2024, 3, 1, tzinfo=UTC), 2)])

    assert ">März</a>" in html
