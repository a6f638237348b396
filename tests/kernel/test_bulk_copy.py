"""The one COPY writer: every value in COPY's text format, and rows that come back out of PostgreSQL as they went in."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection

from portal.kernel.bulk_copy import copy_rows, copy_value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "\\N"),
        (True, "t"),
        (False, "f"),
        (42, "42"),
        (Decimal("1500000.50"), "1500000.50"),
        ("plain", "plain"),
        ("tab\there, line\nbreak, back\\slash, \r", "tab\\there, line\\nbreak, back\\\\slash, \\r"),
        ("\\N", "\\\\N"),  # the text "\N", not NULL
        (date(2011, 4, 27), "2011-04-27"),
        (datetime(2011, 4, 27, 9, 30, tzinfo=UTC), "2011-04-27T09:30:00+00:00"),
        ([], "{}"),
        (["KZ", "UZ"], '{"KZ","UZ"}'),
        (("a,b", 'say "hi"', None), '{"a,b","say \\\\"hi\\\\"",NULL}'),
    ],
)
def test_copy_value(value, expected):
    assert copy_value(value) == expected


@pytest.mark.parametrize("value", [1.5, object(), [["nested"]]])
def test_a_value_without_a_copy_format_is_refused(value):
    with pytest.raises(TypeError, match="No COPY format"):
        copy_value(value)


@pytest.mark.django_db
def test_rows_come_back_as_they_went_in():
    # given: a table with every kind of column the writers fill
    with connection.cursor() as cursor:
        cursor.execute(
            'CREATE TEMPORARY TABLE "copy probe" (id integer, "the text" text, codes varchar(8)[], day date,'
            " moment timestamptz, flag boolean, amount numeric(14, 2))"
        )
    rows = [
        (1, 'tab\tnew line\nback\\slash "quoted" {braces}', ["K,Z", 'U"Z', "NULL", "a\\b", None], date(2010, 12, 15),
         datetime(2010, 12, 15, 8, 0, tzinfo=UTC), True, Decimal("12.50")),
        (2, "\\N", [], None, None, False, None),
        (3, None, None, None, None, None, None),
    ]  # fmt: skip
    # when
    copy_rows("copy probe", ["id", "the text", "codes", "day", "moment", "flag", "amount"], rows)
    # then
    with connection.cursor() as cursor:
        cursor.execute('SELECT * FROM "copy probe" ORDER BY id')
        assert cursor.fetchall() == [tuple(row) for row in rows]
