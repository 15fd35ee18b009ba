"""Reader's queries whose SQL the ORM writes once per process.

Building and compiling a queryset with subqueries costs Django several
milliseconds each time, far more than the database takes to run it: the
post page's query (the post, its tags' ids, its neighbours' titles and
slugs) was half of the page's time. A CompiledQuery builds its queryset
once, from stand-in values, with the ORM as any other query; each request
then runs the same SQL with its own values in the stand-ins' places
(through `raw()`, which makes the model instances as the ORM does, with
their fields' converters).

A page of a list is asked with `offset` and `limit`, which the SQL takes
as two more parameters (the ORM would write them into the SQL itself).
With `page_rows`, the page's ids are found first, in a subquery that
needs the rows' index only, and the rows are read for those ids alone: a
deep page skips hundreds of posts, and PostgreSQL would otherwise work out
each skipped row's per-row subqueries (its tags' ids) before throwing it
away.

Only values that reach the SQL unchanged or through one known adapter can
stand in: a string, a number (an id), and an aware datetime (adapted as a
DateTimeField's value). A stand-in the compiled SQL does not hold (a value
the ORM changed or left out) is an error when the query is first compiled,
never a wrong result.
"""

from datetime import UTC, datetime, timedelta

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.expressions import RawSQL

# Values no request has: no slug holds a NUL, no id is negative, no post is
# dated in year 2.
STAND_IN_TEXT = "\x00stand-in {name}\x00"
STAND_IN_NUMBER = -2_020_202_020
STAND_IN_MOMENT = datetime(2, 2, 2, 2, 2, 2, 202, tzinfo=UTC)
# A page's size and start, for `page_rows`: no page is that large.
STAND_IN_LIMIT = 2_020_202_021
STAND_IN_OFFSET = 2_020_202_022


# The names a page's limit and offset stand in under (no build argument's).
PAGE_LIMIT, PAGE_OFFSET = "\x00limit", "\x00offset"


class CompiledQuery:
    """A queryset made by `build(**values)`, compiled once per database.

    `texts`, `numbers` and `moments` name build's arguments: strings,
    integers and aware datetimes.

    With `page_rows`, every run asks for a page (offset and limit): build's
    queryset finds the page's ids, in its order, and page_rows(posts) says
    what to read of those posts (posts: the model's, with those ids only,
    in that order), e.g. its columns and annotations.
    """

    def __init__(self, build, *, texts=(), numbers=(), moments=(), page_rows=None):
        self.build = build
        self.page_rows = page_rows
        self.texts = tuple(texts)
        self.numbers = tuple(numbers)
        self.moments = tuple(moments)
        self._compiled = {}

    def run(self, using=DEFAULT_DB_ALIAS, *, offset=None, limit=None, **values):
        """Return the model instances the queryset finds for `values`, all
        of them, or `limit` of them from `offset` on.
        """
        if using not in self._compiled:
            self._compiled[using] = self._compile(using)
        queryset, sql, params, places = self._compiled[using]
        adapt = self._adapter(using)
        params = list(params)
        if self.page_rows is not None:
            if limit is None:
                raise ValueError("A query of page rows is asked for a page.")
            values = {**values, PAGE_LIMIT: max(0, limit), PAGE_OFFSET: offset or 0}
        for name, positions in places.items():
            for position in positions:
                params[position] = adapt(name, values[name])
        if limit is not None and self.page_rows is None:
            sql = f"{sql} LIMIT %s OFFSET %s"
            params += [max(0, limit), offset or 0]
        return list(queryset.model._default_manager.db_manager(using).raw(sql, params))

    def _compile(self, using):
        stand_ins = {name: STAND_IN_TEXT.format(name=name) for name in self.texts}
        stand_ins.update(
            {name: STAND_IN_NUMBER - number for number, name in enumerate(self.numbers)}
        )
        stand_ins.update(
            {
                name: STAND_IN_MOMENT + timedelta(microseconds=number)
                for number, name in enumerate(self.moments)
            }
        )
        queryset = self.build(**stand_ins).using(using)
        if queryset.query.is_sliced:
            raise ValueError("A compiled query is sliced when it runs, not built.")
        if self.page_rows is not None:
            queryset = self._page_rows(queryset, using)
            stand_ins |= {PAGE_LIMIT: STAND_IN_LIMIT, PAGE_OFFSET: STAND_IN_OFFSET}
        sql, params = queryset.query.get_compiler(using).as_sql()
        adapt = self._adapter(using)
        places = {}
        for name, stand_in in stand_ins.items():
            expected = adapt(name, stand_in)
            places[name] = [i for i, p in enumerate(params) if p == expected]
            if not places[name]:
                raise ValueError(f"The query's SQL does not hold its {name}.")
        return queryset, sql, tuple(params), places

    def _page_rows(self, queryset, using):
        """Return page_rows() of the posts of one page of `queryset`, found
        by a subquery of its filters and order that selects their ids only.
        """
        ids_sql, ids_params = queryset.values("pk").query.get_compiler(using).as_sql()
        page = RawSQL(
            f"{ids_sql} LIMIT %s OFFSET %s",
            (*ids_params, STAND_IN_LIMIT, STAND_IN_OFFSET),
        )
        # Only the ids' condition: the page's rows are found by their keys.
        # (With the list's own conditions as well, SQLite walks the list
        # and checks each row against the ids.)
        rows = queryset.model._default_manager.using(using).filter(pk__in=page)
        if queryset.query.order_by:
            rows = rows.order_by(*queryset.query.order_by)
        return self.page_rows(rows)

    def _adapter(self, using):
        operations = connections[using].ops

        def adapt(name, value):
            if name in self.moments:
                return operations.adapt_datetimefield_value(value)
            return value

        return adapt
