"""Reading the cells of an imported spreadsheet: what each kind's column spec parses with (`portal.kernel.imports`).

Cells come as text (CSV) or typed (XLSX: numbers, dates, booleans); every reader accepts both. A reader returns
the value a service takes, or raises a ValidationError whose message says what to write instead. Reference rows
(organizations, codes) are an app's to resolve; `resolve_items` reads a list cell through any lookup.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

LIST_SPLIT = re.compile(r"[;\n]")
DATE_FORMS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?"), "day"),
    (re.compile(r"(\d{4})-(\d{1,2})"), "month"),
    (re.compile(r"(\d{4})"), "year"),
)
THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
MAX_ID = 2**63 - 1


def read_text(value) -> str:
    """Any cell as stripped text (an integral number without ".0", a midnight datetime as its date)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_items(value) -> list[str]:
    """The values of a list cell (separated by ";" or line breaks)."""
    return [item.strip() for item in LIST_SPLIT.split(read_text(value)) if item.strip()]


def resolve_items(value, lookup: Callable[[str], object], unknown: str) -> list:
    """Every item of a list cell through `lookup` (None: unknown), without repeats; items that are codes separated
    by spaces ("PK AF") too. `unknown` names the unknown items through `%(values)s`."""
    found, missing = [], []
    for item in read_items(value):
        resolved = lookup(item)
        if resolved is None and " " in item:
            parts = [lookup(part) for part in item.split()]
            if all(part is not None for part in parts):
                found.extend(parts)
                continue
        if resolved is None:
            missing.append(item)
        else:
            found.append(resolved)
    if missing:
        raise ValidationError(unknown % {"values": ", ".join(missing)})
    return list(dict.fromkeys(found))


def choice_names(choices: type[models.TextChoices]) -> dict[str, str]:
    """Value and label (in the user's language, then in English and every other language of the portal) of each
    choice, folded, to its value."""
    names = {}
    for value, label in choices.choices:
        names.setdefault(value.casefold(), value)
        names.setdefault(str(label).casefold(), value)
    for language in [code for code, _name in settings.LANGUAGES if code != translation.get_language()]:
        with translation.override(language):
            for value, label in choices.choices:
                names.setdefault(str(label).casefold(), value)
    return names


def choice_reader(choices: type[models.TextChoices]) -> Callable:
    """A reader of one choice by its value or its label (in the user's language or English); blank is None."""
    names = choice_names(choices)

    def read(value):
        text = read_text(value)
        if not text:
            return None
        if text.casefold() not in names:
            raise ValidationError(
                _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": ", ".join(choices.values)}
            )
        return names[text.casefold()]

    return read


def choice_list(choices: type[models.TextChoices]) -> Callable[[], list[tuple[str, str]]]:
    """The (code, label) pairs a template lists for a coded column."""
    return lambda: [(value, str(label)) for value, label in choices.choices]


@dataclass(frozen=True)
class PartialDate:
    """A date read to the day, the month or the year (`precision`: "day", "month" or "year")."""

    value: date
    precision: str


def partial_date_reader(*, end: bool) -> Callable:
    """A reader of a date to the day, month or year: a `PartialDate` whose month or year stands for its first
    day, or for its last one when `end`."""

    def read(value) -> PartialDate | None:
        if isinstance(value, datetime):
            return PartialDate(value.date(), "day")
        if isinstance(value, date):
            return PartialDate(value, "day")
        text = read_text(value)
        if not text:
            return None
        for pattern, precision in DATE_FORMS:
            match = pattern.fullmatch(text)
            if match is None:
                continue
            year, *rest = (int(part) for part in match.groups())
            try:
                if precision == "day":
                    return PartialDate(date(year, rest[0], rest[1]), precision)
                month = rest[0] if precision == "month" else (12 if end else 1)
                day = calendar.monthrange(year, month)[1] if end else 1
                return PartialDate(date(year, month, day), precision)
            except (ValueError, calendar.IllegalMonthError):
                break
        raise ValidationError(_("“%(value)s” is not a date: write YYYY-MM-DD, YYYY-MM or YYYY.") % {"value": text})

    return read


def date_reader(*, end: bool) -> Callable:
    """A reader of a date to the day, month or year; a month or year stands for its first day, or its last when
    `end` (an end date)."""
    read_partial = partial_date_reader(end=end)

    def read(value) -> date | None:
        partial = read_partial(value)
        return None if partial is None else partial.value

    return read


def read_decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        raise ValidationError(_("Write a number, e.g. 250000 or 250000.50."))
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = read_text(value).replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError(_("Write a number, e.g. 250000 or 250000.50."))
    return amount


def read_count(value) -> int | None:
    """A whole number of zero or more; blank is None."""
    if isinstance(value, bool):
        raise ValidationError(_("Write a whole number."))
    text = read_text(value)
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
        raise ValidationError(_("Write a whole number."))
    return int(text)


def read_flag(value) -> bool:
    if isinstance(value, bool):
        return value
    text = read_text(value).casefold()
    # The export writes the language's "Yes"/"No" (`portal.kernel.tabular.yes_no`).
    if text in TRUE_WORDS or text in (_("yes").casefold(), _("Yes").casefold()):
        return True
    if text in FALSE_WORDS or text in (_("no").casefold(), _("No").casefold()):
        return False
    raise ValidationError(_("Write yes or no."))


def flag_list() -> list[tuple[str, str]]:
    return [("yes", _("yes")), ("no", _("no"))]


def id_reader(message: str) -> Callable:
    """A reader of the portal's ID of a record to update (blank: none); `message` says what to write instead."""

    def read(value) -> int | None:
        text = read_text(value)
        if not text:
            return None
        if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
            raise ValidationError(message)
        return int(text)

    return read


def country_of(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country given by its code (alpha-2 or alpha-3) or its name."""
    code = countries.alpha2(text) if len(text) <= 3 else ""
    if not code:
        code = countries.by_name(text, language=translation.get_language() or "en") or countries.by_name(text)
    return code or None


def read_countries(value) -> list[str]:
    return resolve_items(value, country_of, _("Unknown countries: %(values)s. Give ISO 3166-1 codes (PK) or names."))


def read_country(value) -> str:
    """One country's code; blank is ""."""
    text = read_text(value)
    if not text:
        return ""
    code = country_of(text)
    if code is None:
        raise ValidationError(
            _("Unknown country “%(value)s”: give its ISO 3166-1 code (AT) or name.") % {"value": text}
        )
    return code
