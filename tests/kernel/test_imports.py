"""The import engine's column spec: built from (key, header) pairs and rules, and refused when the two disagree."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.kernel.cells import read_text
from portal.kernel.imports import columns_from


def test_columns_follow_the_headers_order_with_their_rules():
    columns = columns_from(
        [("b", "Bee"), ("a", "Ay")], {"a": {"parse": read_text, "required": True}, "b": {"notes": "ignored"}}
    )

    assert [(column.key, column.label, column.required) for column in columns] == [
        ("b", "Bee", False),
        ("a", "Ay", True),
    ]
    assert columns[1].parse is read_text and columns[0].parse is None


@pytest.mark.parametrize(
    ("headers", "rules"),
    [
        ([("a", "Ay"), ("b", "Bee")], {"a": {}}),  # a column without rules
        ([("a", "Ay")], {"a": {}, "b": {}}),  # rules without a column
        ([("a", "Ay"), ("a", "Ay again")], {"a": {}}),  # a key twice
    ],
)
def test_columns_and_rules_that_disagree_are_the_codes_mistake(headers, rules):
    with pytest.raises(ImproperlyConfigured):
        columns_from(headers, rules)
