"""Reference labels in every language (docs/i18n.md, "Reference data").

Thematic areas and regions carry their names in the other languages on the row (`name_translations`); fixed
choices are `TextChoices` whose labels come from the catalogues.
"""

import importlib
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import override

from confidentiality.models import Audience
from iros import reference_data
from iros.admin import ReferenceNamesForm
from iros.models import TRANSLATED_LANGUAGES, Region, ThematicArea
from portal.accounts.models import Language, Role
from portal.kernel.collation import alphabetical_key
from programs.iati import XML_LANG
from programs.imports import ProgramImport
from tests.factories import ThematicAreaFactory, UserFactory, api_client_for, m49_regions

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
CATALOGUES = Path(settings.BASE_DIR) / "locale"
AFRICA_SOUTH_OF_SAHARA = {
    "ar": "أفريقيا جنوب الصحراء الكبرى",
    "en": "Sub-Saharan Africa",
    "es": "África subsahariana",
    "fr": "Afrique subsaharienne",
    "ru": "Африка к югу от Сахары",
    "zh-hans": "撒哈拉以南非洲",
}
NUCLEAR = {
    "ar": "الأسلحة النووية والمواد ذات الصلة",
    "en": "Nuclear weapons and related materials",
    "es": "Armas nucleares y materiales conexos",
    "fr": "Armes nucléaires et éléments connexes",
    "ru": "Ядерное оружие и связанные с ним материалы",
    "zh-hans": "核武器及相关材料",
}


@pytest.fixture
def regions():
    return m49_regions()


@pytest.fixture
def nuclear():
    return ThematicAreaFactory(
        code="nuclear",
        family=ThematicArea.Family.WEAPON,
        name=NUCLEAR["en"],
        name_translations=reference_data.THEMATIC_AREA_NAMES["nuclear"],
    )


@pytest.fixture
def tagged_program(make_program, regions, nuclear):
    program = make_program(audience=Audience.PUBLIC, title="Border security workshop")
    program.regions.add(regions["202"])
    program.thematic_areas.add(nuclear)
    return program


# --- the reference data carries every name ---------------------------------------------------------------------


def test_the_translated_languages_are_the_portals_but_english():
    assert TRANSLATED_LANGUAGES == ("ar", "es", "fr", "ru", "zh-hans")
    assert set(TRANSLATED_LANGUAGES) | {settings.LANGUAGE_CODE} == set(LANGUAGES)


@pytest.mark.parametrize(
    ("rows", "names"),
    [
        ({code for code, _family, _name in reference_data.THEMATIC_AREAS}, reference_data.THEMATIC_AREA_NAMES),
        ({code for code, _name, _parent in reference_data.REGIONS}, reference_data.REGION_NAMES),
    ],
    ids=["thematic areas", "regions"],
)
def test_every_seeded_row_is_named_in_every_other_language(rows, names):
    assert set(names) == rows
    for code, translations in names.items():
        assert tuple(sorted(translations)) == TRANSLATED_LANGUAGES, code
        assert all(text.strip() == text and text for text in translations.values()), code


def test_operative_paragraph_codes_stay_in_latin_script():
    for code, english, translations in (
        (code, name, reference_data.THEMATIC_AREA_NAMES[code])
        for code, family, name in reference_data.THEMATIC_AREAS
        if family == ThematicArea.Family.RESOLUTION and name.startswith("OP")
    ):
        paragraph = english.split(" — ")[0]
        assert all(text.startswith(f"{paragraph} — ") for text in translations.values()), code


def test_seed_reference_writes_the_names_and_a_second_run_changes_nothing():
    call_command("seed_reference", verbosity=0)
    assert Region.objects.get(code="202").name_translations == reference_data.REGION_NAMES["202"]
    assert ThematicArea.objects.get(code="op3c").name_translations == reference_data.THEMATIC_AREA_NAMES["op3c"]
    assert not Region.objects.filter(name_translations={}).exists()
    assert not ThematicArea.objects.filter(name_translations={}).exists()

    with CaptureQueriesContext(connection) as queries:
        call_command("seed_reference", verbosity=0)
    assert not [
        query for query in queries if query["sql"].startswith(('UPDATE "iros_region"', 'UPDATE "iros_thematic'))
    ]


def test_the_migration_fills_the_seeded_codes_and_keeps_names_entered_by_hand():
    migration = importlib.import_module("iros.migrations.0003_reference_names_in_every_language")
    seeded = Region.objects.create(code="202", name="Sub-Saharan Africa")
    edited = Region.objects.create(code="150", name="Europe", name_translations={"fr": "L’Europe"})
    unknown = ThematicAreaFactory(code="cyber", name="Cyber security")

    migration.fill_names(apps, SimpleNamespace(connection=connection))

    seeded.refresh_from_db(), edited.refresh_from_db(), unknown.refresh_from_db()
    assert seeded.name_translations == reference_data.REGION_NAMES["202"]
    assert edited.name_translations == {"fr": "L’Europe"}
    assert unknown.name_translations == {}


# --- the name in the active language ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_row_is_named_in_the_active_language(regions, nuclear, language):
    with override(language):
        assert regions["202"].localized_name == AFRICA_SOUTH_OF_SAHARA[language]
        assert str(regions["202"]) == f"{AFRICA_SOUTH_OF_SAHARA[language]} (202)"
        assert str(nuclear) == NUCLEAR[language]


def test_a_row_without_a_translation_falls_back_to_english():
    partly = ThematicAreaFactory(code="cyber", name="Cyber security", name_translations={"fr": "Cybersécurité"})
    untranslated = Region.objects.create(code="998", name="Atlantis")

    with override("fr"):
        assert partly.localized_name == "Cybersécurité"
        assert untranslated.localized_name == "Atlantis"
    with override("ru"):
        assert partly.localized_name == "Cyber security"
        assert str(untranslated) == "Atlantis (998)"
    assert partly.names == {"en": "Cyber security", "fr": "Cybersécurité"}


def test_regions_sort_by_their_name_in_the_readers_language(regions):
    with override("fr"):
        names = [region.localized_name for region in Region.in_alphabetical_order(Region.objects.all())]
    # Accents and case do not push "Océanie" after "Polynésie" or "Europe" before "Afrique".
    assert names == sorted(names, key=alphabetical_key)
    assert names.index("Océanie") < names.index("Polynésie")
    assert alphabetical_key("Équipement") == "equipement"


# --- only the portal's languages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "translations",
    [
        {"de": "Afrika"},
        {"en": "Africa"},
        {"zh": "非洲"},
        {"fr": ""},
        {"fr": "   "},
        {"fr": 3},
        ["fr"],
        {"fr": "x" * 201},
    ],
)
def test_the_names_are_validated(translations):
    region = Region(code="998", name="Atlantis", name_translations=translations)

    with pytest.raises(ValidationError) as raised:
        region.full_clean()

    assert "name_translations" in raised.value.message_dict


def test_the_database_refuses_a_language_the_portal_does_not_speak():
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="998", name="Atlantis", name_translations={"de": "Atlantis"})
    Region.objects.create(code="997", name="Lemuria", name_translations={"fr": "Lémurie", "zh-hans": "雷姆利亚"})


# --- the admin: one field per language -------------------------------------------------------------------------


def test_the_admin_form_has_one_field_per_translated_language():
    assert [name for name in ReferenceNamesForm.base_fields if name.startswith("name_")] == [
        ReferenceNamesForm.field_name(language) for language in TRANSLATED_LANGUAGES
    ]


def test_the_admin_edits_the_names_language_by_language(client, regions):
    admin_user = UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    region = regions["202"]
    url = reverse("admin:iros_region_change", args=[region.pk])

    page = client.get(url).content.decode()
    assert 'name="name_fr"' in page and 'value="Afrique subsaharienne"' in page

    response = client.post(
        url,
        {
            "code": "202",
            "name": "Sub-Saharan Africa",
            "parent": regions["002"].pk,
            "name_ar": "",
            "name_es": "África al sur del Sahara",
            "name_fr": "  Afrique subsaharienne  ",
            "name_ru": "",
            "name_zh_hans": "撒哈拉以南非洲",
        },
    )

    assert response.status_code == 302
    region.refresh_from_db()
    assert region.name_translations == {
        "es": "África al sur del Sahara",
        "fr": "Afrique subsaharienne",
        "zh-hans": "撒哈拉以南非洲",
    }


def test_the_admin_registers_the_names_form_for_both_reference_models():
    for model in (Region, ThematicArea):
        assert issubclass(site._registry[model].form, ReferenceNamesForm)


# --- pages, forms, filters, charts, the API --------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_program_page_shows_the_labels_in_the_visitors_language(client, tagged_program, language):
    body = client.get(reverse("programs:detail", args=[tagged_program.pk]), HTTP_ACCEPT_LANGUAGE=language)

    text = body.content.decode()
    assert AFRICA_SOUTH_OF_SAHARA[language] in text
    assert NUCLEAR[language] in text
    assert "Border security workshop" in text  # record content stays as entered
    if language != "en":
        assert AFRICA_SOUTH_OF_SAHARA["en"] not in text
        assert NUCLEAR["en"] not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_program_list_and_its_filters_speak_the_visitors_language(client, tagged_program, language):
    text = client.get(reverse("programs:list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    # The filters' choices ("Name (code)" for regions).
    assert f"{AFRICA_SOUTH_OF_SAHARA[language]} (202)" in text
    assert NUCLEAR[language] in text


def test_the_region_filter_lists_the_regions_alphabetically_in_the_visitors_language(client, regions):
    body = client.get(reverse("iros:list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    select = body.split('name="region"')[1].split("</select>")[0]
    labels = [option.split(">", 1)[1].split("<")[0] for option in select.split("<option")[2:]]
    assert labels == sorted(labels, key=alphabetical_key)
    assert "África subsahariana (202)" in labels


def test_the_program_form_offers_the_labels_in_the_focal_points_language(client, world, regions, nuclear):
    focal = world.people["owner_focal"]
    focal.language = Language.RUSSIAN
    focal.save()
    client.force_login(focal)

    body = client.get(reverse("programs:create")).content.decode()

    assert "Африка к югу от Сахары" in body and "Ядерное оружие и связанные с ним материалы" in body
    assert "Sub-Saharan Africa" not in body


def test_the_dashboard_charts_and_the_cooperation_map_use_the_translated_names(client, world, tagged_program):
    client.force_login(world.people["committee"])

    dashboard = client.get(reverse("dashboard:home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    cooperation = client.get(reverse("cooperation:map"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert NUCLEAR["zh-hans"] in dashboard and "非洲" in dashboard
    assert NUCLEAR["zh-hans"] in cooperation and "非洲" in cooperation
    assert NUCLEAR["en"] not in dashboard + cooperation


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_api_names_follow_accept_language(regions, nuclear, language):
    client = api_client_for()

    region = client.get(reverse("api:regions-detail", args=["202"]), HTTP_ACCEPT_LANGUAGE=language).json()
    area = client.get(reverse("api:thematic-areas-detail", args=["nuclear"]), HTTP_ACCEPT_LANGUAGE=language).json()

    assert region["name"] == AFRICA_SOUTH_OF_SAHARA[language]
    assert region["names"] == AFRICA_SOUTH_OF_SAHARA
    assert area["name"] == NUCLEAR[language]


def test_the_api_is_english_without_accept_language_and_finds_a_name_in_any_language(regions):
    client = api_client_for()

    assert client.get(reverse("api:regions-detail", args=["202"])).json()["name"] == "Sub-Saharan Africa"
    found = client.get(reverse("api:regions-list"), {"search": "subsaharienne"}).json()["results"]
    assert [row["code"] for row in found] == ["202"]


def test_an_import_takes_the_names_in_any_language(world, regions, nuclear):
    importer = ProgramImport(actor=world.people["owner_focal"])

    assert importer.names.regions_of("Afrique subsaharienne; 014; Africa") == ["202", "014", "002"]
    assert importer.names.thematic_areas("核武器及相关材料") == ["nuclear"]


def test_the_iati_file_is_english_with_the_other_names_as_narratives_of_their_language(client, tagged_program):
    tagged_program.start_date = date(2024, 1, 1)
    tagged_program.save()

    document = ElementTree.fromstring(client.get(reverse("iati:activities"), HTTP_ACCEPT_LANGUAGE="fr").content)

    region = document.find("iati-activity/recipient-region")
    narratives = {narrative.get(XML_LANG): narrative.text for narrative in region.findall("narrative")}
    expected = {language.split("-")[0]: name for language, name in AFRICA_SOUTH_OF_SAHARA.items() if language != "en"}
    assert narratives == {None: "Sub-Saharan Africa", **expected}


# --- no query per row ------------------------------------------------------------------------------------------


def _queries(client, url, language) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url_name", "args"),
    [("programs:list", []), ("iros:list", []), ("iros:events", []), ("contacts:coordinators", [])],
)
def test_translated_names_add_no_query(client, make_program, regions, nuclear, url_name, args):
    for index in range(12):
        program = make_program(audience=Audience.PUBLIC, title=f"Program {index}")
        program.regions.add(regions["202"], regions["150"])
        program.thematic_areas.add(nuclear)
    url = reverse(url_name, args=args)

    counts = {language: _queries(client, url, language) for language in LANGUAGES}

    assert len(set(counts.values())) == 1, counts


# --- fixed choices come from the catalogues --------------------------------------------------------------------


PORTAL_PACKAGES = ("portal.", "iros.", "contacts.", "programs.", "confidentiality.")


def _portal_choices() -> list[type[models.Choices]]:
    """Every `TextChoices`/`IntegerChoices` the portal defines (the apps are loaded, so every class exists), but
    the profile's `Language`, whose labels name each language in itself."""
    found, pending = [], [models.Choices]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith(PORTAL_PACKAGES) and subclass is not Language:
                found.append(subclass)
    return sorted(found, key=lambda choices: f"{choices.__module__}.{choices.__qualname__}")


CHOICES = _portal_choices()


def test_the_fixed_choices_are_found():
    names = {choices.__qualname__ for choices in CHOICES}
    assert {"Role", "State", "Audience", "ContactRole", "Program.Status", "Interaction.Kind", "DatePrecision"} <= names


@pytest.mark.parametrize("choices", CHOICES, ids=lambda choices: f"{choices.__module__}.{choices.__qualname__}")
def test_every_fixed_choice_label_is_marked_for_translation(choices):
    unmarked = [member.value for member in choices if not isinstance(member._label_, Promise)]

    assert unmarked == [], "label these with gettext_lazy"


@pytest.mark.parametrize("choices", CHOICES, ids=lambda choices: f"{choices.__module__}.{choices.__qualname__}")
def test_every_fixed_choice_label_is_an_entry_of_the_catalogues(choices):
    with override(settings.LANGUAGE_CODE):
        labels = {str(member.label) for member in choices}
    for language in ("ar", "es", "fr", "ru", "zh_Hans"):
        catalogue = {entry.msgid for entry in polib.pofile(str(CATALOGUES / language / "LC_MESSAGES" / "django.po"))}
        assert labels <= catalogue, (language, sorted(labels - catalogue))
