"""Cells that name reference rows: organizations by acronym or name, thematic areas by code or name, regions by
M49 code or name. Read once per import (a few hundred rows at most), then looked up in memory for every cell."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from iros.labels import area_label, region_label
from iros.models import Organization, Region, ThematicArea
from portal.kernel.cells import read_text, resolve_items


class ReferenceNames:
    """What an import's cells may call organizations, thematic areas and regions."""

    def __init__(self):
        self.organizations: dict[str, Organization] = {}
        for organization in Organization.objects.order_by("acronym"):
            self.organizations.setdefault(organization.acronym.casefold(), organization)
            self.organizations.setdefault(organization.name.casefold(), organization)
        self.areas: dict[str, str] = {}
        for area in ThematicArea.objects.all():
            # The names an export writes (`iros.labels`) read back.
            # By code, or by the name in any language (a template lists them in its reader's).
            for name in (area.code, area.name, area_label(area), *area.names.values()):
                self.areas.setdefault(name.casefold(), area.code)
        self.regions: dict[str, str] = {}
        for region in Region.objects.all():
            self.regions.setdefault(region.code, region.code)
            for name in (region.name, region_label(region), *region.names.values()):
                self.regions.setdefault(name.casefold(), region.code)

    # organizations

    def organization_of(self, text: str) -> Organization | None:
        return self.organizations.get(text.casefold())

    def organization(self, value) -> Organization | None:
        text = read_text(value)
        if not text:
            return None
        organization = self.organization_of(text)
        if organization is None:
            raise ValidationError(_("Unknown organization “%(value)s”.") % {"value": text})
        return organization

    def organizations_of(self, value) -> list[Organization]:
        return resolve_items(value, self.organization_of, _("Unknown organizations: %(values)s."))

    # codes

    def thematic_areas(self, value) -> list[str]:
        return resolve_items(
            value, lambda text: self.areas.get(text.casefold()), _("Unknown thematic areas: %(values)s.")
        )

    def region_of(self, text: str) -> str | None:
        return self.regions.get(text.zfill(3) if text.isdigit() else text.casefold())

    def regions_of(self, value) -> list[str]:
        return resolve_items(value, self.region_of, _("Unknown regions: %(values)s. Give M49 codes (142) or names."))

    def region(self, value) -> str | None:
        text = read_text(value)
        if not text:
            return None
        code = self.region_of(text)
        if code is None:
            raise ValidationError(_("Unknown region “%(value)s”: give its M49 code (150) or name.") % {"value": text})
        return code


# The lists a template offers for coded columns (read when the template is made).


def organization_choices() -> list[tuple[str, str]]:
    return [(org.acronym, org.name) for org in Organization.objects.order_by("acronym").only("acronym", "name")]


def thematic_area_choices() -> list[tuple[str, str]]:
    return [(area.code, area.localized_name) for area in ThematicArea.objects.all()]


def region_choices() -> list[tuple[str, str]]:
    return [(region.code, region.localized_name) for region in Region.objects.order_by("code")]
