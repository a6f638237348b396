"""Dates and numbers on pages read in each language's own formats (portal/formats, docs/i18n.md)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import override

from confidentiality.models import Audience, State
from iros.models import DatePrecision, format_partial_date
from programs.tables import ProgramTable
from tests.factories import ProgramFactory, UserFactory

MARCH_15 = date(2024, 3, 15)


@pytest.mark.parametrize(
    ("language", "long", "short", "month"),
    [
        ("en", "15 March 2024", "15 Mar 2024", "March 2024"),
        ("fr", "15 mars 2024", "15/03/2024", "mars 2024"),
        ("ru", "15 марта 2024 г.", "15.03.2024", "Март 2024 г."),
        ("ar", "15 مارس، 2024", "15\u200f/03\u200f/2024", "مارس 2024"),
        ("es", "15 de marzo de 2024", "15/03/2024", "marzo de 2024"),
        ("zh-hans", "2024年3月15日", "2024年3月15日", "2024年3月"),
    ],
)
def test_dates_follow_the_locale(language, long, short, month):
    with override(language):
        assert date_format(MARCH_15, "DATE_FORMAT") == long
        assert date_format(MARCH_15, "SHORT_DATE_FORMAT") == short
        assert format_partial_date(MARCH_15, DatePrecision.DAY) == long
        assert format_partial_date(MARCH_15, DatePrecision.MONTH) == month
        assert format_partial_date(MARCH_15, DatePrecision.YEAR) == "2024"


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "15 March 2024, 14:30"), ("fr", "15 mars 2024 14:30"), ("ar", "15 مارس، 2024 14:30")],
)
def test_a_date_and_time_reads_in_the_locale_never_the_american_default(language, shown):
    # Django's Arabic formats name no DATETIME_FORMAT: without portal/formats/ar it was "N j, Y, P".
    with override(language):
        assert date_format(datetime(2024, 3, 15, 14, 30), "DATETIME_FORMAT") == shown


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "period", "budget"),
    [
        ("fr", "15 mars 2024 – 30 juin 2025", "1\xa0250\xa0000,00 EUR"),
        ("ru", "15 марта 2024 г. – 30 июня 2025 г.", "1\xa0250\xa0000,00 EUR"),
        ("en", "15 March 2024 – 30 June 2025", "1,250,000.00 EUR"),
    ],
)
def test_a_programs_period_and_budget_read_in_the_readers_language(client, language, period, budget):
    program = ProgramFactory(
        state=State.SUBMITTED,
        audience=Audience.COMMITTEE,
        start_date=MARCH_15,
        end_date=date(2025, 6, 30),
        budget=Decimal("1250000"),
        currency="EUR",
    )
    client.force_login(UserFactory(role="committee", language=language))
    body = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert period in body
    assert budget in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "start", "budget"),
    [
        ("en", "15 Mar 2024", "1,250,000 EUR"),
        ("ru", "15.03.2024", "1\xa0250\xa0000 EUR"),
        ("ar", "15\u200f/03\u200f/2024", "1.250.000 EUR"),
    ],
)
def test_the_program_table_localizes_its_period_and_budget(language, start, budget):
    program = ProgramFactory(start_date=MARCH_15, end_date=None, budget=Decimal("1250000"), currency="EUR")
    table = ProgramTable([program])
    with override(language):
        assert start in table.render_period(program)
        assert "dir-arrow" in table.render_period(program)
        assert str(table.render_budget(program, program.budget)) == budget


def test_pages_use_named_formats_not_fixed_patterns():
    # A fixed pattern ("j M Y") shows English month names and English order in every language. ISO timestamps
    # with seconds in the security logs, `datetime` attributes and the year alone are not read as dates in prose.
    allowed = ('"Y"', "'c'", "'Y-m-d'", '"Y-m-d H:i:s"')
    fixed = []
    for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        for pattern in re.findall(r"\|date:(\"[^\"]*\"|'[^']*')", path.read_text()):
            if not pattern.strip("\"'").endswith("FORMAT") and pattern not in allowed:
                fixed.append(f"{path.name}: {pattern}")
    assert fixed == []
