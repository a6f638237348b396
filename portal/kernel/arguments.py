"""Checking what a service is given: the fields it may change, codes of reference rows, country codes.

Each check answers with a ValidationError keyed by the field it is about, so forms and the API show it there.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django_countries import countries


def reject_unknown_fields(fields: dict, allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})


def records_by_code(
    model: type[models.Model],
    codes: Iterable,
    *,
    error_field: str,
    field: str = "code",
    unknown_message: str | None = None,
) -> list:
    """The rows whose `field` is one of `codes`, in the order given and without repeats; one query.

    `unknown_message` names the missing codes through `%(codes)s`.
    """
    codes = list(dict.fromkeys(str(code) for code in codes))
    found = {getattr(row, field): row for row in model._default_manager.filter(**{f"{field}__in": codes})}
    missing = [code for code in codes if code not in found]
    if missing:
        message = unknown_message or _("Unknown codes: %(codes)s.")
        raise ValidationError({error_field: message % {"codes": ", ".join(missing)}})
    return [found[code] for code in codes]


def country_codes(codes: Iterable, *, error_field: str) -> list[str]:
    """ISO 3166-1 alpha-2 codes, upper-cased, in the order given and without repeats."""
    codes = list(dict.fromkeys(str(code).upper() for code in codes))
    unknown = [code for code in codes if code not in countries]
    if unknown:
        raise ValidationError(
            {error_field: _("Unknown country codes (ISO 3166-1 alpha-2): %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return codes
