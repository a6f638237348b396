"""The one way to bulk-load rows: PostgreSQL's `COPY ... FROM STDIN`, several times faster than batched INSERTs.

For seeding (the demo data, the benchmark's 100,000 programs), never for user input. The rows are Python values,
written in COPY's text format here, so a caller cannot forget to escape a tab, a backslash or a quote in an array.
`bulk_create` would not do: it cannot keep a given `updated` under `auto_now`, and it is slower at this size.
COPY fires the table's triggers and checks its constraints like any insert.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from io import StringIO

from django.db import DEFAULT_DB_ALIAS, connections

NULL = "\\N"
# Inside a field COPY reads a backslash as an escape and a tab or a newline as the end of the field or row.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_rows(
    table: str, columns: Sequence[str], rows: Iterable[Sequence[object]], *, using: str = DEFAULT_DB_ALIAS
) -> None:
    """Write `rows` into `table` in the current transaction, one value per column: None, bool, int, Decimal, str,
    date, datetime, or a list of those for an array column."""
    buffer = StringIO()
    for row in rows:
        buffer.write("\t".join(copy_value(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN", buffer)


def copy_value(value: object) -> str:
    """One field in COPY's text format."""
    if value is None:
        return NULL
    return _literal(value).translate(COPY_ESCAPES)


def _literal(value: object) -> str:
    """The value as PostgreSQL's input function for its column type reads it."""
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | tuple):
        return "{" + ",".join(_array_item(item) for item in value) + "}"
    if isinstance(value, date):  # and datetime, a date too: ISO 8601 keeps the time zone of an aware datetime
        return value.isoformat()
    if isinstance(value, int | Decimal | str):
        return str(value)
    raise TypeError(f"No COPY format for {type(value).__name__}")


def _array_item(item: object) -> str:
    # Quoted, so that commas, braces, spaces and the word NULL inside an item stay text.
    if item is None:
        return "NULL"
    if isinstance(item, list | tuple):
        raise TypeError("No COPY format for a nested array")
    return '"' + _literal(item).replace("\\", "\\\\").replace('"', '\\"') + '"'
