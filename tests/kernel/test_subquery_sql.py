"""Sets of bars or columns folded by PostgreSQL's `bit_or`: the same indexes back, as `bigint` up to 63 of them and as
`varbit` beyond; and the memory setting of grouped queries, which ends with its transaction."""

import pytest
from django.db import connection

from portal.kernel.subquery_sql import BitSets, grouped_work_mem


def folded(sets: BitSets, *chosen: set[int]) -> list[int]:
    """The indexes of `bit_or` over the given sets, computed by PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT bit_or(value) FROM unnest(%s::{sets.sql_type}[]) AS value",
            [[sets.value(indexes) for indexes in chosen]],
        )
        return sets.indexes(cursor.fetchone()[0])


@pytest.mark.django_db
@pytest.mark.parametrize(("width", "sql_type"), [(1, "bigint"), (30, "bigint"), (63, "bigint"), (64, "varbit")])
def test_bit_or_gives_back_the_union_of_the_sets(width, sql_type):
    sets = BitSets(width)
    last = width - 1

    assert sets.sql_type == sql_type
    assert folded(sets, {0}, {last}, {0, last // 2}) == sorted({0, last // 2, last})
    assert folded(sets, set()) == []


@pytest.mark.django_db
def test_more_than_63_indexes_fall_back_to_bit_strings():
    sets = BitSets(100)

    assert sets.value({0, 99}) == "1" + "0" * 98 + "1"
    assert folded(sets, {0, 62}, {63, 99}) == [0, 62, 63, 99]


def test_an_index_outside_the_width_is_refused():
    with pytest.raises(ValueError, match="outside"):
        BitSets(3).value({3})
    with pytest.raises(ValueError, match="outside"):
        BitSets(70).value({-1})


@pytest.mark.django_db(transaction=True)
def test_the_memory_setting_ends_with_its_transaction():
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        (default,) = cursor.fetchone()
        with grouped_work_mem() as inside:
            inside.execute("SHOW work_mem")
            assert inside.fetchone() == ("64MB",)
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone() == (default,)
