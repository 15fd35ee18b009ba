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

Only values that reach the SQL unchanged or through one known adapter can
stand in: a string, a number (an id), and an aware datetime (adapted as a
DateTimeField's value). A stand-in the compiled SQL does not hold (a value
the ORM changed or left out) is an error when the query is first compiled,
never a wrong result.
"""

from datetime import UTC, datetime, timedelta

from django.db import DEFAULT_DB_ALIAS, connections

# Values no request has: no slug holds a NUL, no id is negative, no post is
# dated in year 2.
STAND_IN_TEXT = "\x00stand-in {name}\x00"
STAND_IN_NUMBER = -2_020_202_020
STAND_IN_MOMENT = datetime(2, 2, 2, 2, 2, 2, 202, tzinfo=UTC)


class CompiledQuery:
    """A queryset made by `build(**values)`, compiled once per database.

    `texts`, `numbers` and `moments` name build's arguments: strings,
    integers and aware datetimes.
    """

    def __init__(self, build, *, texts=(), numbers=(), moments=()):
        self.build = build
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
        for name, positions in places.items():
            for position in positions:
                params[position] = adapt(name, values[name])
        if limit is not None:
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
        sql, params = queryset.query.get_compiler(using).as_sql()
        adapt = self._adapter(using)
        places = {}
        for name, stand_in in stand_ins.items():
            expected = adapt(name, stand_in)
            places[name] = [i for i, p in enumerate(params) if p == expected]
            if not places[name]:
                raise ValueError(f"The query's SQL does not hold its {name}.")
        return queryset, sql, tuple(params), places

    def _adapter(self, using):
        operations = connections[using].ops

        def adapt(name, value):
            if name in self.moments:
                return operations.adapt_datetimefield_value(value)
            return value

        return adapt
