"""How many posts there are, per month and per tag, without counting rows.

Counting the visible posts on every request (a paginator's COUNT(*), an
archive's GROUP BY month, a tag list's counts) walks every post: the cost
grows with the blog. Instead PostCount holds the counts, kept exact by
database triggers in the same transaction as every write
(blog.post_count_triggers): the published posts with a date, per UTC month,
per tag, and per tag and UTC month.

A reader needs the *visible* posts: published and dated now or earlier.
The counted posts dated now or earlier are exactly the visible ones, so any
count up to now is a count of visible posts; the others are the scheduled
posts, which are few and all in the future, and one index range query finds
them. A month in the site's time zone is a range of UTC time; its count is
made from the UTC months it spans, and at its two ends from the posts
between the boundary and the nearest UTC month start (a few hours' posts),
one index range query for all such ends of a page.
"""

from datetime import UTC, datetime
from typing import NamedTuple

from django.db import models
from django.db.models import Count, Q, Value
from django.utils import timezone

from blog import version_cache
from blog.content_version import ContentQuerySet

MONTH, TAG, TAG_MONTH = "month", "tag", "tagmonth"
# Not a kind: how the scheduled posts' count is told apart in one query.
SCHEDULED = "scheduled"


class PostCount(models.Model):
    """One count, maintained by triggers; never written by the app."""

    kind = models.CharField(max_length=10)
    key = models.CharField(max_length=40, blank=True)
    count = models.IntegerField(default=0)

    # The triggers write it from the posts' own writes, which bump; the
    # rule that every blog model's bulk writes bump holds here too.
    objects = ContentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="postcount_kind_key")
        ]

    def __str__(self):
        return f"{self.kind} {self.key}: {self.count}"


def counted(posts):
    """Return the posts the counts count (published, with a date)."""
    return posts.filter(status="published", published_at__isnull=False)


def month_start(moment):
    """Return the start of the UTC month `moment` is in."""
    moment = moment.astimezone(UTC)
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def next_month(start):
    return datetime(start.year + start.month // 12, start.month % 12 + 1, 1, tzinfo=UTC)


class MonthCounts(NamedTuple):
    """The counted posts per UTC month, worked out from the rows."""

    scheduled: int
    # [(UTC month start, count)], oldest first.
    months: list
    # {month start: counted posts dated before it}
    before: dict
    total: int

    @classmethod
    def of(cls, rows):
        """Return the MonthCounts of [(key, count)] rows: "YYYY-MM" keys
        (a tag's "id:YYYY-MM") and SCHEDULED.
        """
        rows = dict(rows)
        scheduled = rows.pop(SCHEDULED, 0)
        months = sorted(
            (datetime(int(key[-7:-3]), int(key[-2:]), 1, tzinfo=UTC), count)
            for key, count in rows.items()
        )
        before, running = {}, 0
        for start, count in months:
            before[start] = running
            running += count
        return cls(scheduled, months, before, running)


class Timeline:
    """The counted posts per UTC month and the scheduled ones, read in one
    small query, and from them how many visible posts any stretch of time
    holds.
    """

    def __init__(self, posts, now, tag=None):
        # `posts` is the Post manager (this module imports no model of the
        # app's: blog.models imports it). With `tag`, the tag's posts only.
        self.posts, self.now = posts, now
        if tag is not None:
            self.posts = posts.filter(tags=tag)
        # Kept per content version: the counts change with writes, which
        # bump it, and the scheduled count when a scheduled post's time
        # comes, which bumps it too. Kept worked out: parsing and summing
        # some 140 months cost a list page 0.3 ms.
        counts = version_cache.kept(
            f"timeline:{'' if tag is None else tag.pk}",
            lambda: MonthCounts.of(self._read_rows(tag)),
        )
        self.scheduled, self.months = counts.scheduled, counts.months
        # Counted posts before each month start, for through().
        self._before = counts.before
        self.total = counts.total
        self.visible = self.total - self.scheduled

    def _read_rows(self, tag):
        # The querysets are built here, on a miss only: building them cost
        # as much as a kept read.
        if tag is None:
            months = PostCount.objects.filter(kind=MONTH)
        else:
            months = PostCount.objects.filter(
                kind=TAG_MONTH, key__startswith=f"{tag.pk}:"
            )
        months = months.filter(count__gt=0).values_list("key", "count")
        scheduled = (
            counted(self.posts.filter(published_at__gt=self.now))
            .order_by()
            .values(key=Value(SCHEDULED))
            .annotate(count=Count("pk"))
            .values_list("key", "count")
        )
        return list(months.union(scheduled, all=True))

    def through(self, start):
        """Return the counted posts dated before UTC month start `start`."""
        if start in self._before:
            return self._before[start]
        return sum(count for month, count in self.months if month < start)

    def before_all(self, moments):
        """Return {moment: counted posts dated before it}, for several
        moments, with at most one query.
        """
        ends = {}
        for moment in moments:
            start = month_start(moment)
            end = next_month(start)
            # From the nearer UTC month start: a few hours of posts when
            # the moment is a month start in the site's time zone.
            if moment - start <= end - moment:
                ends[moment] = (self.through(start), start, moment, 1)
            else:
                ends[moment] = (self.through(end), moment, end, -1)
        ranges = {
            f"r{index}": (low, high)
            for index, (_base, low, high, _sign) in enumerate(ends.values())
            if low < high
        }
        partial = {}
        if ranges:
            any_range = Q()
            for low, high in ranges.values():
                any_range |= Q(published_at__gte=low, published_at__lt=high)
            partial = counted(self.posts.filter(any_range)).aggregate(
                **{
                    name: Count(
                        "pk", filter=Q(published_at__gte=low, published_at__lt=high)
                    )
                    for name, (low, high) in ranges.items()
                }
            )
        result = {}
        for index, (moment, (base, _low, _high, sign)) in enumerate(ends.items()):
            result[moment] = base + sign * (partial.get(f"r{index}") or 0)
        return result

    def visible_in(self, ranges, before=None):
        """Return the visible posts in each (start, end) range of time.

        `before` may hold before_all() of the ranges' ends already.
        """
        if before is None:
            before = self.before_all(
                {moment for pair in ranges for moment in pair if moment <= self.now}
            )

        def upto(moment):
            return before[moment] if moment <= self.now else self.visible

        return [max(0, upto(end) - upto(start)) for start, end in ranges]

    def month_starts(self, start=None, end=None):
        """Return the UTC month starts with posts, newest first, in (start,
        end] and not after now: where a page of a list may begin.
        """
        return [
            month
            for month, _count in reversed(self.months)
            if month <= self.now
            and (start is None or month > start)
            and (end is None or month <= end)
        ]


def newest_first_bound(starts, position, newer_than):
    """Return (upper bound, offset) to fetch the post at `position` (0 for
    the newest) of a newest-first list without walking the posts before it:
    of the UTC month `starts` (newest first), the oldest whose newer posts
    are at most `position`, and how many of them there are to skip; or
    (None, position).

    `newer_than(start)` returns how many of the list's posts are dated at
    or after `start`.
    """
    bound, offset = None, position
    for start in starts:
        newer = newer_than(start)
        if newer > position:
            break
        bound, offset = start, position - newer
    return bound, offset


def local_month_start(moment):
    """Return the start of the month `moment` is in, in the site's time zone."""
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime(local.year, local.month, 1))


def local_next_month(start):
    return timezone.make_aware(
        datetime(start.year + start.month // 12, start.month % 12 + 1, 1)
    )


def local_months(timeline, start=None, end=None):
    """Return the starts of the site's months in [start, end) (by default
    from the oldest post's) up to now, oldest first, and the start of the
    month after the last.
    """
    if not timeline.months:
        return [], None
    first = local_month_start(timeline.months[0][0])
    if start is not None:
        first = max(first, start)
    months = []
    while first <= timeline.now and (end is None or first < end):
        months.append(first)
        first = local_next_month(first)
    return months, first


def visible_months(timeline, start=None, end=None, before=None):
    """Return [(month start, visible posts)] for the site's months in
    [start, end) (all of them by default) that have visible posts, newest
    first, with at most one query (none when `before` holds before_all() of
    local_months()).
    """
    months, after = local_months(timeline, start, end)
    if not months:
        return []
    ranges = list(zip(months, [*months[1:], after], strict=True))
    counts = timeline.visible_in(ranges, before)
    return [
        (month, count)
        for (month, _end), count in reversed(list(zip(ranges, counts, strict=True)))
        if count
    ]
