"""Public programs as IATI Activity Standard 2.03 XML (`/iati/activities.xml`, `/iati/<ACRONYM>.xml`).

Only what an anonymous visitor may see goes in: the programs are read through the visibility policy as nobody
(`public_programs`), so a record whose audience is not `public`, or a draft, can never appear. The mapping from
the portal's fields to IATI's codes is written here once and documented in `docs/iati.md`:

- `iati-identifier`: `<reporting-org ref>-<program id>`; the organization's ref is `IATI_ORGANISATION_PREFIX`
  followed by its acronym, until organizations record their registered IATI identifiers.
- `reporting-org` and the owner's `participating-org`: the owner, organisation type 40 (multilateral).
- partners: `lead` → role 2 (accountable), `funder` → 1 (funding), `partner` and `implementer` → 4
  (implementing); funding states → role 1 with organisation type 10 (government), named by the country.
- `activity-status`: planned 1, ongoing 2, completed 4, cancelled 5.
- `activity-date`: the start is actual (2) once the program runs or ran, planned (1) before; the end is actual
  (4) once completed or cancelled, planned (3) otherwise. IATI requires a start: programs without a start date
  are left out of the file (and counted in a comment), never given an invented one.
- `recipient-country` (ISO 3166-1) and `recipient-region` (UN M49, vocabulary 2), percentages split evenly.
- `sector`: the portal's thematic areas, vocabulary 99 (the reporting organisation's own), with the code list at
  `/api/v1/thematic-areas/` as the vocabulary URI; percentages split evenly.
- `budget`: original (type 1), indicative (status 1), over the program's period, valued at its start date.
- the program's website: a `document-link` of category A12 (activity web page).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal
from xml.etree import ElementTree

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django_countries import countries

from confidentiality import policies
from iros.models import Organization
from programs.models import Program, ProgramPartner

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ORGANISATION_TYPE_MULTILATERAL = "40"
ORGANISATION_TYPE_GOVERNMENT = "10"
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING = "1", "2", "4"
PARTNER_ROLES = {
    ProgramPartner.Role.LEAD: ROLE_ACCOUNTABLE,
    ProgramPartner.Role.FUNDER: ROLE_FUNDING,
    ProgramPartner.Role.PARTNER: ROLE_IMPLEMENTING,
    ProgramPartner.Role.IMPLEMENTER: ROLE_IMPLEMENTING,
}
ACTIVITY_STATUS = {
    Program.Status.PLANNED: "1",
    Program.Status.ONGOING: "2",
    Program.Status.COMPLETED: "4",
    Program.Status.CANCELLED: "5",
}
REGION_VOCABULARY_M49 = "2"
SECTOR_VOCABULARY_REPORTING_ORGANISATION = "99"


def public_programs(*, organization: Organization | None = None) -> QuerySet[Program]:
    """What an anonymous visitor may see, with everything the file shows, in a stable order."""
    programs = policies.visible_to(AnonymousUser(), Program.objects.select_related("organization"))
    if organization is not None:
        programs = programs.filter(organization=organization)
    return programs.prefetch_related(
        "thematic_areas",
        "regions",
        Prefetch("partnerships", queryset=ProgramPartner.objects.select_related("organization")),
    ).order_by("organization__acronym", "pk")


def organisation_ref(organization: Organization) -> str:
    return f"{settings.IATI_ORGANISATION_PREFIX}-{organization.acronym}"


def _narrative(
    parent: ElementTree.Element, tag: str, text: str, *, translations: dict[str, str] | None = None, **attributes
) -> ElementTree.Element:
    """`<tag>` with its text in the file's language (English) and, for a reference row, one narrative per other
    language it is named in (IATI's `xml:lang` takes ISO 639-1 codes: `zh`, not `zh-hans`)."""
    element = ElementTree.SubElement(parent, tag, {name.replace("_", "-"): value for name, value in attributes.items()})
    ElementTree.SubElement(element, "narrative").text = text
    for language, translated in sorted((translations or {}).items()):
        ElementTree.SubElement(element, "narrative", {XML_LANG: language.split("-")[0]}).text = translated
    return element


def _even_percentages(count: int) -> list[str]:
    """`count` shares of 100 with two decimals that add up to exactly 100 (the last takes the remainder)."""
    if count == 0:
        return []
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [str(share)] * (count - 1) + [str(Decimal(100) - share * (count - 1))]


def _dates(activity: ElementTree.Element, program: Program) -> None:
    running = program.status in (Program.Status.ONGOING, Program.Status.COMPLETED, Program.Status.CANCELLED)
    ended = program.status in (Program.Status.COMPLETED, Program.Status.CANCELLED)
    ElementTree.SubElement(
        activity, "activity-date", {"type": "2" if running else "1", "iso-date": program.start_date.isoformat()}
    )
    if program.end_date is not None:
        ElementTree.SubElement(
            activity, "activity-date", {"type": "4" if ended else "3", "iso-date": program.end_date.isoformat()}
        )


def _participants(activity: ElementTree.Element, program: Program) -> None:
    owner = program.organization
    _narrative(
        activity,
        "participating-org",
        owner.name,
        ref=organisation_ref(owner),
        type=ORGANISATION_TYPE_MULTILATERAL,
        role=ROLE_ACCOUNTABLE,
    )
    for partnership in program.partnerships.all():
        partner = partnership.organization
        _narrative(
            activity,
            "participating-org",
            partner.name,
            ref=organisation_ref(partner),
            type=ORGANISATION_TYPE_MULTILATERAL,
            role=PARTNER_ROLES[partnership.role],
        )
    for code in program.funding_states:
        _narrative(
            activity,
            "participating-org",
            str(countries.name(code)) or code,
            type=ORGANISATION_TYPE_GOVERNMENT,
            role=ROLE_FUNDING,
        )


def _where(activity: ElementTree.Element, program: Program) -> None:
    regions = list(program.regions.all())
    shares = iter(_even_percentages(len(program.beneficiary_countries) + len(regions)))
    for code in program.beneficiary_countries:
        ElementTree.SubElement(activity, "recipient-country", {"code": code, "percentage": next(shares)})
    for region in regions:
        _narrative(
            activity,
            "recipient-region",
            region.name,
            translations=region.name_translations,
            code=region.code,
            vocabulary=REGION_VOCABULARY_M49,
            percentage=next(shares),
        )


def _sectors(activity: ElementTree.Element, program: Program) -> None:
    areas = list(program.thematic_areas.all())
    vocabulary_uri = settings.PORTAL_BASE_URL.rstrip("/") + reverse("api:thematic-areas-list")
    for area, share in zip(areas, _even_percentages(len(areas)), strict=True):
        _narrative(
            activity,
            "sector",
            area.name,
            translations=area.name_translations,
            vocabulary=SECTOR_VOCABULARY_REPORTING_ORGANISATION,
            vocabulary_uri=vocabulary_uri,
            code=area.code,
            percentage=share,
        )


def _budget(activity: ElementTree.Element, program: Program) -> None:
    if program.budget is None or not program.currency or program.end_date is None:
        return
    budget = ElementTree.SubElement(activity, "budget", {"type": "1", "status": "1"})
    ElementTree.SubElement(budget, "period-start", {"iso-date": program.start_date.isoformat()})
    ElementTree.SubElement(budget, "period-end", {"iso-date": program.end_date.isoformat()})
    value = ElementTree.SubElement(
        budget, "value", {"currency": program.currency, "value-date": program.start_date.isoformat()}
    )
    value.text = str(program.budget)


def activity_element(program: Program) -> ElementTree.Element:
    """One `iati-activity`, its elements in the order the 2.03 schema's sequence requires."""
    owner = program.organization
    activity = ElementTree.Element(
        "iati-activity",
        {
            "last-updated-datetime": program.updated.isoformat(timespec="seconds"),
            XML_LANG: "en",
        },
    )
    ElementTree.SubElement(activity, "iati-identifier").text = f"{organisation_ref(owner)}-{program.pk}"
    _narrative(activity, "reporting-org", owner.name, ref=organisation_ref(owner), type=ORGANISATION_TYPE_MULTILATERAL)
    _narrative(activity, "title", program.title)
    _narrative(activity, "description", program.summary or program.title, type="1")
    _participants(activity, program)
    ElementTree.SubElement(activity, "activity-status", {"code": ACTIVITY_STATUS[program.status]})
    _dates(activity, program)
    _where(activity, program)
    _sectors(activity, program)
    _budget(activity, program)
    if program.website:
        link = ElementTree.SubElement(activity, "document-link", {"format": "text/html", "url": program.website})
        _narrative(link, "title", program.title)
        ElementTree.SubElement(link, "category", {"code": "A12"})  # A12: the activity's web page
    return activity


def activities_xml(programs: Iterable[Program]) -> bytes:
    """An `iati-activities` document (UTF-8 bytes) of the programs that have the start date IATI requires."""
    root = ElementTree.Element(
        "iati-activities", {"version": IATI_VERSION, "generated-datetime": timezone.now().isoformat(timespec="seconds")}
    )
    left_out = 0
    for program in programs:
        if program.start_date is None:
            left_out += 1
            continue
        root.append(activity_element(program))
    if left_out:
        root.insert(0, ElementTree.Comment(f" {left_out} public program(s) without a start date are not listed "))
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
