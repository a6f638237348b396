"""The organizations the demo data is spread over: those of the reference list, in its order.

The order is fixed (`iros.reference_data`), so every plan that picks organizations by position gives the same
organization the same demo rows on every machine.
"""

from django.db.models import QuerySet

from iros import reference_data
from iros.models import Organization

REFERENCE_ACRONYMS: tuple[str, ...] = tuple(row[0] for row in reference_data.ORGANIZATIONS)
REFERENCE_NAMES: dict[str, str] = {row[0]: row[1] for row in reference_data.ORGANIZATIONS}


def reference_organizations_missing() -> bool:
    return Organization.objects.filter(acronym__in=REFERENCE_ACRONYMS).count() < len(REFERENCE_ACRONYMS)


def reference_organizations(queryset: QuerySet[Organization] | None = None) -> dict[str, Organization]:
    """The reference organizations present in the database, by acronym, in the reference order."""
    queryset = Organization.objects.all() if queryset is None else queryset
    found = {organization.acronym: organization for organization in queryset.filter(acronym__in=REFERENCE_ACRONYMS)}
    return {acronym: found[acronym] for acronym in REFERENCE_ACRONYMS if acronym in found}
