"""How codes and reference rows read for people, in the active language: one function per kind.

Exports, the program table and the import (which accepts these labels back) ask here, so that a translated name
of thematic areas or regions is switched on in one place. Record content and organization names are shown as
entered (acronyms stay acronyms).
"""

from __future__ import annotations

from django.db import models
from django_countries import countries

from iros.models import Region, ThematicArea


def area_label(area: ThematicArea) -> str:
    """A thematic area's name in the reader's language (its code stays in URLs, filters and the API)."""
    return area.localized_name


def region_label(region: Region) -> str:
    """A UN M49 region by its name alone in the reader's language (`str(region)` adds the code)."""
    return region.localized_name


def country_label(code: str) -> str:
    """An ISO 3166-1 country by its name in the active language (django-countries' translations); the code
    itself when unknown."""
    return str(countries.name(code)) or code


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """A coded value (status, state, audience, kind, precision, role) by its label in the active language; a value
    outside the choices as it is."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value
