"""Grouped SQL around a queryset's own SQL: for the few counts the ORM cannot say in one query (PostgreSQL
windows, `unnest` of several arrays, mappings passed as arrays).

The queryset keeps everything it already says — above all the visibility a policy applied to it — because its
SQL is used as it is, as a subquery; only the grouping around it is written by hand. The hand-written part is a
constant of its module that starts with `WITH <name> AS ({rows})` — the queryset's SQL goes there, so its
parameters come first — and takes values only as query parameters.

Two things such queries share: the memory their sorts and hashes get (`grouped_work_mem`), and sets of small
indexes (the bars or columns a row counts in) folded with `bit_or` (`BitSets`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import QuerySet

# Per sort or hash of a query: the grouped queries over every visible program (100,000 for the Committee) spill
# to disk with PostgreSQL's default 4 MB, and fit in memory with this.
GROUPED_WORK_MEM = "64MB"


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


@contextmanager
def grouped_work_mem() -> Iterator:
    """A transaction (and its cursor) in which queries may use `GROUPED_WORK_MEM` per sort or hash: `SET LOCAL`
    ends with the transaction, so the connection's other queries keep the default."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{GROUPED_WORK_MEM}'")
        yield cursor


class BitSets:
    """Sets of indexes below `width` (the bars or columns a row counts in) as values PostgreSQL folds with
    `bit_or`: a `bigint` while they fit in its 63 bits above the sign (bit_or and grouping on an integer cost a
    third less than on a bit string), a `varbit` beyond. A query casts its parameters to `sql_type` and reads
    the folded values back with `indexes`."""

    BIGINT_BITS = 63

    def __init__(self, width: int):
        self.width = width
        self.sql_type = "bigint" if width <= self.BIGINT_BITS else "varbit"

    def value(self, indexes: Iterable[int]) -> int | str:
        chosen = set(indexes)
        if any(not 0 <= index < self.width for index in chosen):
            raise ValueError(f"An index outside 0..{self.width - 1}: {sorted(chosen)}")
        if self.sql_type == "bigint":
            return sum(1 << index for index in chosen)
        return "".join("1" if index in chosen else "0" for index in range(self.width))  # bit 0 first

    def indexes(self, value: int | str) -> list[int]:
        if self.sql_type == "bigint":
            return [index for index in range(self.width) if value >> index & 1]
        return [index for index, bit in enumerate(value) if bit == "1"]
