"""Grouped SQL around a queryset's own SQL: for the few counts the ORM cannot say in one query (PostgreSQL
windows, `unnest` of several arrays, mappings passed as arrays).

The queryset keeps everything it already says — above all the visibility a policy applied to it — because its
SQL is used as it is, as a subquery; only the grouping around it is written by hand. The hand-written part is a
constant of its module that starts with `WITH <name> AS ({rows})` — the queryset's SQL goes there, so its
parameters come first — and takes values only as query parameters.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet


def fetch_around(sql: str, queryset: QuerySet, params: list, *, cursor=None) -> list[tuple]:
    """The rows of `sql`, whose `{rows}` is `queryset`'s SQL; `params` follow the queryset's own parameters."""
    head, found, _tail = sql.partition("{rows}")
    if not found or "%s" in head:
        raise ValueError("The grouped SQL must start with the queryset's SQL ({rows}), before any parameter.")
    rows_sql, rows_params = queryset.query.sql_with_params()
    statement = sql.replace("{rows}", rows_sql)
    if cursor is not None:
        cursor.execute(statement, [*rows_params, *params])
        return cursor.fetchall()
    with connection.cursor() as own:
        own.execute(statement, [*rows_params, *params])
        return own.fetchall()
