"""The archive index's years and months (views.archive_index), each year's
list of months built in Python.

Through the template engine the months (a link, the month's name and its
count, some 140 of them for 12 years) cost about 30 ms a request, which
made the archive index the slowest uncached page at any size. Here each
month is a few string operations, with the markup the template wrote.
"""

from html import escape
from itertools import groupby

from django.urls import get_script_prefix, get_urlconf
from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe

from blog.models import remembered_reverse
from blog.post_counts import visible_months


def archive_years(timeline):
    """Return the years with visible posts, newest first: each its number,
    its count of posts and its months' `<li>` items as HTML.
    """
    years = []
    for year, months in groupby(visible_months(timeline), key=lambda row: row[0].year):
        months = list(months)
        years.append(
            {
                "year": year,
                "count": sum(count for _month, count in months),
                "months_html": months_html(months),
            }
        )
    return years


def months_html(months):
    """Return the `<li>` items of [(month start, count)]: the month's name
    linking to its archive, and its count.
    """
    script_prefix, urlconf = get_script_prefix(), get_urlconf()
    items = []
    for month, count in months:
        url = remembered_reverse(
            "blog:archive_month",
            script_prefix,
            urlconf,
            year=month.year,
            month=month.month,
        )
        name = str(MONTHS[month.month])
        items.append(
            f'<li><a href="{escape(url)}">{escape(name)}</a> '
            f'<span class="count">({escape(formats.localize(count))})</span></li>'
        )
    return mark_safe("\n".join(items))
