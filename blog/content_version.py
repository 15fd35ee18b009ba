"""The content version: one row that changes whenever readers could see
something new, so that every cached page made before the change is dead.

Every write readers could see bumps it in the same transaction as the write
(blog.content_changes connects the signals; ContentQuerySet covers the
blog's bulk writes; importers and other raw writes call `bump()`). Each
request reads it once; a scheduled post whose time has come bumps it on the
first request that notices. The README's "Caching" section gives the whole
argument.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    IntegrityError,
    connections,
    models,
    transaction,
)
from django.db.models import F, Subquery
from django.utils import timezone

ROW_ID = 1


class ContentVersion(models.Model):
    """The one row: how many changes readers could see so far, when the
    last was, and when the next scheduled post becomes visible.
    """

    version = models.BigIntegerField(default=1)
    changed_at = models.DateTimeField()
    # The earliest future publication date of a published post, or null:
    # when it passes, the first request to notice bumps the version.
    next_publication_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return f"{self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


class Stamp(NamedTuple):
    """What a cached page is valid for: the version and when it was made.

    The time makes a stamp unique even when the number is not: a database
    restored from a backup, or a row re-created after it was deleted, counts
    from an old number again, but never at the same microsecond.
    """

    version: int
    changed_at: object

    @property
    def key(self):
        return f"{self.version}.{self.changed_at.timestamp():.6f}"


def bump():
    """Count a change readers could see; call it inside the write's
    transaction, after the write. Inside `one_bump()`, the count waits for
    the end of the batch.

    Also recomputes when the next scheduled post appears.
    """
    if _batch_bumped.get() is not None:
        _batch_bumped.set(True)
        return
    rows = ContentVersion.objects.filter(pk=ROW_ID)
    with transaction.atomic():
        # Lock the row first, then look for the next publication in a
        # statement of its own: on PostgreSQL that statement sees what a
        # concurrent writer, whose bump held the lock, committed (a post it
        # scheduled); in the UPDATE itself the subquery would not.
        previous = rows.select_for_update().values_list("changed_at", flat=True)
        previous = previous.first()
        now = timezone.now()
        upcoming = _next_publication(now)
        if previous is None:
            _create_row(now, upcoming)
        else:
            rows.update(
                version=F("version") + 1,
                changed_at=next_change_time(previous, now),
                next_publication_at=Subquery(upcoming.values("published_at")[:1]),
            )
    _forget_read_stamp()


@contextmanager
def one_bump():
    """Run a batch of writes in one transaction that counts them as one
    change, bumped once at its end, instead of one bump a write: an
    import's or a test's thousands of saves would otherwise spend half
    their time bumping. Every write still lands in the same transaction as
    the bump, so no reader sees a write under the old version.

    Only the writes of this thread wait (the bump asked for is noted in a
    context variable); inside a batch already, the outer one bumps. A batch
    that fails, or is marked for rollback (a dry run), bumps nothing.
    """
    if _batch_bumped.get() is not None:
        yield
        return
    with transaction.atomic():
        token = _batch_bumped.set(False)
        try:
            yield
            bumped = _batch_bumped.get()
        finally:
            _batch_bumped.reset(token)
        if bumped and not transaction.get_rollback():
            bump()


def next_change_time(previous, now):
    """Return the time of a change after one at `previous`: now, but always
    in a later whole second.

    HTTP dates (Last-Modified) have whole seconds. Two changes in one second
    would share a date, and a reader who fetched between them would be told
    "not modified" after the second; so would one who fetched while a slow
    transaction, which took its time before committing, was still open. A
    strictly later second for every change rules out both, whatever the
    clocks and transactions. (Many changes in a burst run the time ahead of
    the clock for a while; Last-Modified is then left out until the clock
    catches up, and the ETag alone validates.)
    """
    return max(now, previous.replace(microsecond=0) + timedelta(seconds=1))


def read():
    """Return the current Stamp, from one query; when a scheduled post's
    time has come, bump first so that it shows.
    """
    row = _row()
    if row is None or _publication_due(row):
        bump()
        row = _row()
    return Stamp(row[0], row[1])


def current():
    """Return the Stamp of this request, read once per request (see
    request_scope); outside a request, read it now.
    """
    seen = _request_stamp.get()
    if seen is None:
        return read()
    if seen is _UNREAD:
        seen = read()
        _request_stamp.set(seen)
    return seen


@contextmanager
def request_scope():
    """Remember the stamp for the length of one request, once read. Inside
    a scope already (the WSGI application's, then the middleware's), the
    outer one holds.
    """
    if _request_stamp.get() is not None:
        yield
        return
    token = _request_stamp.set(_UNREAD)
    try:
        yield
    finally:
        _request_stamp.reset(token)


class ContentQuerySet(models.QuerySet):
    """A queryset whose bulk writes bump the version: update(),
    bulk_create() and bulk_update() send no signal.
    """

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            count = super().update(**kwargs)
            if count:
                bump()
        return count

    def bulk_create(self, *args, **kwargs):
        with transaction.atomic(using=self.db):
            created = super().bulk_create(*args, **kwargs)
            if created:
                bump()
        return created

    def bulk_update(self, *args, **kwargs):
        with transaction.atomic(using=self.db):
            count = super().bulk_update(*args, **kwargs)
            if count:
                bump()
        return count


# None outside one_bump(); inside it, whether a write asked for a bump.
_batch_bumped = ContextVar("inkwell_batch_bumped", default=None)

# None outside a request; _UNREAD inside one until the stamp is first read.
_UNREAD = object()
_request_stamp = ContextVar("inkwell_content_stamp", default=None)


def _row():
    """Return (version, changed_at, next_publication_at), or None.

    Every request runs this, a kept page's too, where it is most of the
    cost: so it is one statement without parameters, written out once, run
    below Django's cursor (which would double its cost). Errors still go
    through Django's error handling, so a broken connection is closed at the
    end of the request; while queries are being counted (debug mode, tests)
    it goes through Django's cursor, which counts it.
    """
    database = connections[DEFAULT_DB_ALIAS]
    if database.queries_logged:
        with database.cursor() as cursor:
            cursor.execute(_ROW_SQL)
            row = cursor.fetchone()
    else:
        row = _checked_driver_row(database)
    if row is None:
        return None
    version, changed_at, next_publication_at = row
    return version, _aware(changed_at), _aware(next_publication_at)


def _checked_driver_row(database):
    """Return _driver_row(), the read being the connection's health check.

    With CONN_HEALTH_CHECKS, Django asks a connection kept from an earlier
    request `SELECT 1` before the request's first query: a round trip of its
    own on every uncached page. This read is a request's first query, so it
    checks the connection as well: if it fails on a kept connection (the
    database restarted since), the connection is closed and the read asked
    again on a new one, which is what the health check would have done.
    """
    if (
        database.connection is not None
        and database.health_check_enabled
        and not database.health_check_done
    ):
        try:
            row = _driver_row(database)
        except database.Database.Error:
            database.close()
        else:
            database.health_check_done = True
            return row
    database.ensure_connection()
    with database.wrap_database_errors:
        return _driver_row(database)


def _driver_row(database):
    driver = database.connection
    if hasattr(driver, "pgconn"):
        return _libpq_row(database, driver.pgconn)
    cursor = driver.cursor()
    try:
        cursor.execute(_ROW_SQL)
        return cursor.fetchone()
    finally:
        cursor.close()


def _libpq_row(database, pgconn):
    # psycopg's cursor costs twice the round trip itself; libpq's own call
    # on the same connection asks the same. The answer is text: Django sets
    # the connection's time zone to UTC, and PostgreSQL's dates are ISO.
    from psycopg import pq  # only where psycopg is the driver

    # Prepared once per connection: the server then neither parses nor
    # plans it again, which on a small machine is most of its cost.
    # (If it fails, as when it exists already, the call below says.)
    # Inside a transaction it is asked unprepared: if the statement were
    # gone, the failed call would abort the transaction. (psycopg drops
    # every prepared statement of the connection after a rollback when it
    # prepares its own: DATABASE_PREPARED_STATEMENTS.)
    if pgconn.transaction_status != pq.TransactionStatus.IDLE:
        result = pgconn.exec_(_ROW_SQL.encode())
    else:
        if getattr(database, "_content_version_prepared_on", None) is not pgconn:
            pgconn.prepare(_STATEMENT_NAME, _ROW_SQL.encode())
            database._content_version_prepared_on = pgconn
        result = pgconn.exec_prepared(_STATEMENT_NAME, [])
        if result.status != pq.ExecStatus.TUPLES_OK:
            # Gone: dropped by psycopg, or a pooler between (PgBouncer)
            # moved the session. Ask unprepared, and prepare again next time.
            database._content_version_prepared_on = None
            result = pgconn.exec_(_ROW_SQL.encode())
    if result.status != pq.ExecStatus.TUPLES_OK:
        message = result.error_message.decode(errors="replace")
        raise database.Database.OperationalError(message)
    if result.ntuples == 0:
        return None
    version, changed_at, next_publication_at = (
        result.get_value(0, column) for column in range(3)
    )
    return int(version), _datetime(changed_at), _datetime(next_publication_at)


def _datetime(text):
    return None if text is None else datetime.fromisoformat(text.decode())


def _aware(value):
    # SQLite hands datetimes back as they were written: naive UTC.
    if value is not None and value.tzinfo is None and settings.USE_TZ:
        return value.replace(tzinfo=UTC)
    return value


_STATEMENT_NAME = b"inkwell_content_version"
_ROW_SQL = "SELECT {}, {}, {} FROM {} WHERE {} = {:d}".format(
    *(
        ContentVersion._meta.get_field(name).column
        for name in ("version", "changed_at", "next_publication_at")
    ),
    ContentVersion._meta.db_table,
    ContentVersion._meta.pk.column,
    ROW_ID,
)


def _publication_due(row):
    next_publication_at = row[2]
    return next_publication_at is not None and next_publication_at <= timezone.now()


def _next_publication(now):
    # Imported lazily: blog.models imports this module.
    post_model = apps.get_model("blog", "Post")
    return post_model.objects.filter(
        status=post_model.Status.PUBLISHED, published_at__gt=now
    ).order_by("published_at")


def _create_row(now, upcoming):
    # The row is made by the migration; a flushed or restored database may
    # lack it. Two requests may race to make it: the loser bumps.
    first = upcoming.values_list("published_at", flat=True).first()
    try:
        with transaction.atomic():
            ContentVersion.objects.create(
                pk=ROW_ID, version=1, changed_at=now, next_publication_at=first
            )
    except IntegrityError:
        bump()


def _forget_read_stamp():
    # A request that wrote must not go on using the stamp it read before.
    if _request_stamp.get() is not None:
        _request_stamp.set(_UNREAD)
