"""Dashboards: the right one per role, no hidden record in any list, every figure equal to a field-only oracle,
and a fixed number of queries whatever the number of rows."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from confidentiality.models import Audience, State
from contacts.models import ContactRole
from iros.models import Organization, Region
from portal.notifications.models import Notification
from portal.pages.dashboard.charts import Bar, bar_chart, column_chart
from portal.pages.dashboard.selectors import GAPS_SHOWN
from programs.models import Program
from tests.factories import (
    DemarcheFactory,
    InteractionFactory,
    OrganizationFactory,
    PointOfContactFactory,
    ProgramFactory,
    RegionalCoordinatorFactory,
    RegionFactory,
    ThematicAreaFactory,
    submission_with_grants,
)
from tests.world import SHARING_PERSONAS, sharing_oracle

pytestmark = pytest.mark.django_db

CANARY = "CANARY-d45b"
COMBINATIONS = [
    (State.DRAFT, Audience.PUBLIC),
    (State.DRAFT, Audience.COMMITTEE),
    (State.SUBMITTED, Audience.COMMITTEE),
    (State.SUBMITTED, Audience.SELECTED),
    (State.SUBMITTED, Audience.ALL_IROS),
    (State.SUBMITTED, Audience.PUBLIC),
]
TEMPLATES = {
    "anonymous": "dashboard/landing.html",
    "inactive": "dashboard/landing.html",
    "owner_focal": "dashboard/iro.html",
    "owner_member": "dashboard/iro.html",
    "selected_member": "dashboard/iro.html",
    "other_member": "dashboard/iro.html",
    "committee": "dashboard/committee.html",
    "admin": "dashboard/committee.html",
}
ORGANIZATION_OF = {
    "owner_focal": "owner",
    "owner_member": "owner",
    "selected_member": "selected",
    "other_member": "other",
}


def marker(kind: str, state: str, audience: str) -> str:
    return f"{kind}marker{state}{audience}".replace("_", "")


def effective(persona: str) -> str:
    return "anonymous" if persona == "inactive" else persona


@pytest.fixture
def reference(db):
    world_region = RegionFactory(code="001", name="World")
    africa = Region.objects.create(code="002", name="Africa", parent=world_region)
    east = Region.objects.create(code="014", name="Eastern Africa", parent=africa)
    europe = Region.objects.create(code="150", name="Europe", parent=world_region)
    return {
        "chemical": ThematicAreaFactory(code="chemical", name="Chemical weapons", position=1),
        "nuclear": ThematicAreaFactory(code="nuclear", name="Nuclear weapons", position=0),
        "border": ThematicAreaFactory(code="op3c", name="Border controls", family="resolution"),
        "world": world_region,
        "africa": africa,
        "east": east,
        "europe": europe,
    }


@pytest.fixture
def records(world, reference):
    """The owner's programs and contacts in every (state, audience), tagged; a program of each other IRO; the
    owner's interactions and demarches. Hidden-from-someone records carry the canary."""
    orgs, people = world
    for index, (state, audience) in enumerate(COMBINATIONS):
        shared_with = [orgs["selected"]] if audience == Audience.SELECTED else []
        # The canary marks what only the owner, the Committee and administrators see; the markers do the rest.
        hidden_from_some = audience == Audience.COMMITTEE or state == State.DRAFT
        program = submission_with_grants(
            ProgramFactory,
            organization=orgs["owner"],
            state=state,
            audience=audience,
            shared_with=shared_with,
            title=f"{marker('program', state, audience)} {CANARY if hidden_from_some else ''}",
        )
        program.thematic_areas.add(reference["chemical"] if index % 2 else reference["border"])
        program.regions.add(reference["east"] if index % 3 else reference["world"])
        submission_with_grants(
            PointOfContactFactory,
            organization=orgs["owner"],
            state=state,
            audience=audience,
            shared_with=shared_with,
            role=ContactRole.ASSISTANCE,
            person=f"{marker('contact', state, audience)} {CANARY if hidden_from_some else ''}",
            since="2019-01-01",
            until=None if (state, audience) == (State.SUBMITTED, Audience.PUBLIC) else "2020-01-01",
        )
    for key in ("selected", "other"):
        program = submission_with_grants(
            ProgramFactory,
            organization=orgs[key],
            state=State.SUBMITTED,
            audience=Audience.COMMITTEE,
            title=f"{key}-committee-only",
        )
        program.regions.add(reference["europe"])
        submission_with_grants(ProgramFactory, organization=orgs[key], state=State.DRAFT, title=f"{key}-draft")
    private = InteractionFactory(date=date(2022, 5, 1), summary=f"private {CANARY}", public=False)
    private.organizations.add(orgs["owner"])
    public = InteractionFactory(date=date(2023, 5, 1), summary="public meeting", public=True)
    public.organizations.add(orgs["other"])
    today = timezone.localdate()
    DemarcheFactory(organization=orgs["owner"], sent_on=today - timedelta(days=90), follow_up_due=today - timedelta(1))
    DemarcheFactory(organization=orgs["other"], sent_on=today - timedelta(days=20), follow_up_due=today + timedelta(9))
    DemarcheFactory(organization=orgs["other"], sent_on=today - timedelta(days=200), answered_on=today)
    RegionalCoordinatorFactory(host=orgs["owner"], status="appointed")
    RegionalCoordinatorFactory(host=orgs["other"], status="proposed")
    return orgs, people


def visible_programs_oracle(persona: str, orgs) -> list[Program]:
    """Programs a persona may see, decided from the fields alone (not through the policy under test)."""
    persona = effective(persona)
    home = orgs.get(ORGANIZATION_OF.get(persona, ""))

    def sees(program) -> bool:
        if persona == "admin" or (home is not None and program.organization_id == home.pk):
            return True
        if program.state == State.DRAFT:
            return False
        if persona == "committee" or program.audience == Audience.PUBLIC:
            return True
        if program.audience == Audience.ALL_IROS:
            return home is not None
        return program.audience == Audience.SELECTED and home in program.shared_with.all()

    visible = [program for program in Program.objects.prefetch_related("shared_with") if sees(program)]
    return visible


# --- who gets which dashboard, and nothing hidden in it -------------------------------------------------------


@pytest.mark.parametrize("persona", SHARING_PERSONAS)
def test_each_persona_gets_its_dashboard_with_nothing_hidden(sign_in, records, persona):
    orgs, _people = records
    client = sign_in(persona)

    response = client.get(reverse("dashboard:home"))

    assert response.status_code == 200
    assert TEMPLATES[persona] in [template.name for template in response.templates]
    body = response.content.decode()
    visible_ids = {program.pk for program in visible_programs_oracle(persona, orgs)}
    for program in Program.objects.all():
        if program.title.strip() in body or f">{program.title}<" in body:
            assert program.pk in visible_ids, (persona, program.title)
    for state, audience in COMBINATIONS:
        if marker("contact", state, audience) in body:
            assert sharing_oracle(effective(persona), state, audience), (persona, state, audience)
    if persona not in ("owner_focal", "owner_member", "admin"):
        # The canary is only in records hidden from this persona (or in drafts, which the Committee never sees).
        if persona == "committee":
            for program in Program.objects.filter(state=State.DRAFT):
                assert program.title not in body
        else:
            assert CANARY not in body, persona


@pytest.mark.parametrize("persona", ["selected_member", "other_member"])
def test_shared_with_us_lists_exactly_the_visible_programs_of_other_organizations(sign_in, records, persona):
    orgs, _people = records
    home = orgs[ORGANIZATION_OF[persona]]

    response = sign_in(persona).get(reverse("dashboard:home"))

    shown = [program.pk for program in response.context["dashboard"].shared_with_us]
    expected = sorted(
        (
            program
            for program in visible_programs_oracle(persona, orgs)
            if program.organization_id != home.pk and program.state == State.SUBMITTED
        ),
        key=lambda program: (program.updated, program.pk),
        reverse=True,
    )
    assert shown == [program.pk for program in expected][:8]
    body = response.content.decode()
    assert (marker("program", State.SUBMITTED, Audience.SELECTED) in body) is (persona == "selected_member")


# --- figures equal the oracle -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["committee", "admin"])
def test_committee_figures_count_only_what_the_viewer_may_see(sign_in, records, reference, persona):
    orgs, _people = records
    visible = visible_programs_oracle(persona, orgs)
    submitted = [program for program in visible if program.state == State.SUBMITTED]

    response = sign_in(persona).get(reverse("dashboard:home"))

    dashboard = response.context["dashboard"]
    assert dashboard.programs["submitted"] == len(submitted)
    assert dashboard.programs["drafts"] == (
        sum(program.state == State.DRAFT for program in Program.objects.all()) if persona == "admin" else 0
    )
    by_area = {bar.label: bar.value for bar in dashboard.by_thematic_area}
    for area in ("chemical", "nuclear", "border"):
        expected = sum(reference[area] in program.thematic_areas.all() for program in submitted)
        assert by_area[reference[area].name] == expected, area
    by_region = {bar.label: bar.value for bar in dashboard.by_region}
    subtree = {"africa": {"africa", "east"}, "east": {"east"}, "europe": {"europe"}}
    for key, members in subtree.items():
        codes = {reference[member].pk for member in members}
        expected = sum(bool(codes & {region.pk for region in program.regions.all()}) for program in submitted)
        assert by_region[reference[key].name] == expected, key
    assert by_region["Global (tagged “World”)"] == sum(
        reference["world"] in program.regions.all() for program in submitted
    )
    assert {bar.label: bar.value for bar in dashboard.interactions if bar.value} == {"2022": 1, "2023": 1}
    assert (dashboard.demarches.open, dashboard.demarches.overdue) == (2, 1)
    assert {bar.key: bar.value for bar in dashboard.coordinators} == {
        "appointed": 1,
        "proposed": 1,
        "discussed": 0,
        "ended": 0,
    }
    assert [program.pk for program in dashboard.recent] == [
        program.pk for program in sorted(submitted, key=lambda p: (p.created, p.pk), reverse=True)
    ][:8]


@pytest.mark.parametrize("persona", ["owner_focal", "owner_member", "selected_member", "other_member"])
def test_iro_figures_count_only_what_the_viewer_may_see(sign_in, records, persona):
    orgs, _people = records
    home = orgs[ORGANIZATION_OF[persona]]
    own = [program for program in visible_programs_oracle(persona, orgs) if program.organization_id == home.pk]

    response = sign_in(persona).get(reverse("dashboard:home"))

    dashboard = response.context["dashboard"]
    for row in dashboard.program_matrix:
        assert row.submitted == sum(p.audience == row.audience and p.state == State.SUBMITTED for p in own)
        assert row.drafts == sum(p.audience == row.audience and p.state == State.DRAFT for p in own)
    assert dashboard.own_program_total == len(own)
    assert dashboard.draft_count == sum(p.state == State.DRAFT for p in own)
    assert {contact.organization_id for contact in dashboard.own_contacts} <= {home.pk}


def test_interactions_the_viewer_may_not_see_are_not_counted(sign_in, records):
    # An IRO user gets no interaction chart; the Committee counts them all; the policy decides, not the template.
    from portal.pages.dashboard.selectors import interactions_per_year

    orgs, people = records
    counted = {bar.label: bar.value for bar in interactions_per_year(actor=people["other_member"]) if bar.value}
    assert counted == {"2023": 1}
    assert {bar.label: bar.value for bar in interactions_per_year(actor=people["owner_member"]) if bar.value} == {
        "2022": 1,
        "2023": 1,
    }
    assert [bar for bar in interactions_per_year(actor=None) if bar.value] == [
        Bar(label="2023", value=1, url="year=2023")
    ]


# --- the to-do list, coverage and notifications ----------------------------------------------------------------


def test_the_to_do_list_names_missing_contacts_stale_programs_and_drafts(sign_in, world):
    orgs, _people = world
    stale = submission_with_grants(
        ProgramFactory, organization=orgs["owner"], state=State.SUBMITTED, title="Old border project"
    )
    Program.objects.filter(pk=stale.pk).update(updated=timezone.now() - timedelta(days=400))
    done = submission_with_grants(
        ProgramFactory,
        organization=orgs["owner"],
        state=State.SUBMITTED,
        title="Finished long ago",
        status=Program.Status.COMPLETED,
    )
    Program.objects.filter(pk=done.pk).update(updated=timezone.now() - timedelta(days=800))
    submission_with_grants(ProgramFactory, organization=orgs["owner"], title="Unfinished draft")
    submission_with_grants(
        PointOfContactFactory,
        organization=orgs["owner"],
        state=State.SUBMITTED,
        role=ContactRole.ASSISTANCE,
        since="2021-03-01",
    )

    response = sign_in("owner_focal").get(reverse("dashboard:home"))

    dashboard = response.context["dashboard"]
    assert [role.role for role in dashboard.missing_roles] == [ContactRole.IMPLEMENTATION]
    assert [program.title for program in dashboard.stale_programs] == ["Old border project"]
    assert dashboard.stale_count == 1
    assert [program.title for program in dashboard.drafts] == ["Unfinished draft"]
    body = response.content.decode()
    assert "Designate a point of contact for implementation" in body
    assert "Update 1 program not updated for a year" in body
    assert "Submit or discard 1 draft" in body
    assert reverse("programs:create") in body  # a focal point may act

    member_body = sign_in("owner_member").get(reverse("dashboard:home")).content.decode()
    assert "focal point makes these changes." in member_body
    assert reverse("programs:create") not in member_body


def test_an_up_to_date_organization_has_nothing_to_do(sign_in, world):
    orgs, _people = world
    for role in ContactRole:
        submission_with_grants(
            PointOfContactFactory, organization=orgs["owner"], state=State.SUBMITTED, role=role, since="2020-01-01"
        )
    body = sign_in("owner_member").get(reverse("dashboard:home")).content.decode()
    assert "Nothing to do" in body


def test_coverage_lists_the_organizations_missing_a_contact(sign_in, world):
    orgs, _people = world
    for role in ContactRole:
        submission_with_grants(PointOfContactFactory, organization=orgs["owner"], state=State.SUBMITTED, role=role)
    submission_with_grants(
        PointOfContactFactory, organization=orgs["selected"], state=State.SUBMITTED, role=ContactRole.ASSISTANCE
    )
    # A draft or an ended designation does not count.
    submission_with_grants(PointOfContactFactory, organization=orgs["other"], role=ContactRole.ASSISTANCE)

    response = sign_in("committee").get(reverse("dashboard:home"))

    coverage = response.context["dashboard"].coverage
    assert (coverage.complete, coverage.partial, coverage.missing) == (1, 1, 1)
    assert [item.organization.acronym for item in coverage.gaps] == ["OTHER", "CHOSEN"]
    gaps = response.content.decode().split('id="coverage-gaps"')[1].split("</table>")[0]
    assert "OTHER" in gaps and "CHOSEN" in gaps and "OWNER" not in gaps


def test_coverage_names_the_first_gaps_and_links_to_all_of_them(sign_in, world):
    for number in range(GAPS_SHOWN + 2):
        OrganizationFactory(acronym=f"GAP{number:02d}")
    gaps_in_world = Organization.objects.count()

    response = sign_in("committee").get(reverse("dashboard:home"))

    body = response.content.decode()
    table = body.split('id="coverage-gaps"')[1].split("</table>")[0]
    assert table.count('<th scope="row"') == GAPS_SHOWN
    more = body.split('id="coverage-more"')[1].split("</p>")[0]
    assert f'href="{reverse("contacts:list")}?designated=no"' in more
    assert f"See all {gaps_in_world} organizations missing a role" in more
    listed = sign_in("committee").get(reverse("contacts:list"), {"designated": "no"})
    assert listed.context["page_obj"].paginator.count == gaps_in_world


def test_notifications_show_only_records_still_visible(sign_in, world):
    orgs, people = world
    shared = submission_with_grants(
        ProgramFactory,
        organization=orgs["owner"],
        state=State.SUBMITTED,
        audience=Audience.SELECTED,
        shared_with=[orgs["selected"]],
        title="Shared container programme",
    )
    withdrawn = submission_with_grants(
        ProgramFactory, organization=orgs["owner"], state=State.SUBMITTED, title=f"Withdrawn {CANARY}"
    )
    for record in (shared, withdrawn):
        Notification.objects.create(
            recipient=people["selected_member"],
            kind=Notification.Kind.SHARED,
            record_type="programs.program",
            record_id=record.pk,
            delivered_at=timezone.now(),
        )

    body = sign_in("selected_member").get(reverse("dashboard:home")).content.decode()

    notifications = body.split('id="notifications"')[1].split("</section>")[0]
    assert "Shared container programme" in notifications
    assert CANARY not in body


def test_a_signed_in_user_without_organization_gets_the_simple_home(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="loose-member"))
    response = client.get(reverse("dashboard:home"))
    assert "dashboard/home.html" in [template.name for template in response.templates]


# --- charts ------------------------------------------------------------------------------------------------------


def test_charts_are_server_rendered_svg_without_inline_style_and_unlocalized_numbers(sign_in, records):
    client = sign_in("committee")
    with override("fr"):
        body = client.get(reverse("dashboard:home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    for chart_id in ("chart-thematic", "chart-region", "chart-interactions"):
        assert f'id="{chart_id}"' in body
    svg = body.split('id="chart-thematic"')[1].split("</svg>")[0]
    assert 'class="bar"' in svg
    assert " style=" not in body and "<style" not in body and "<script>" not in body
    for attribute in ("width", "x", "y"):
        for value in svg.split(f' {attribute}="')[1:]:
            assert "," not in value.split('"')[0], value


def test_chart_geometry():
    chart = bar_chart([Bar("a", 0, group="G"), Bar("b", 5, group="G"), Bar("c", 10, level=1)], width=400)
    bars = [row for row in chart.rows if row.bar]
    assert [row.heading for row in chart.rows if not row.bar] == ["G"]
    assert bars[0].bar_width == 0
    assert bars[2].bar_width == chart.plot_width
    assert bars[1].bar_width == chart.plot_width / 2
    assert bar_chart([Bar("a", 0)]).is_empty
    columns = column_chart([Bar("2020", 3), Bar("2021", 0), Bar("2022", 7)])
    assert [column.height > 0 for column in columns.columns] == [True, False, True]
    assert columns.gridlines[-1][1] == 10


def test_charts_are_mirrored_for_a_right_to_left_reader():
    bars = [Bar("a", 5), Bar("b", 10, group="G")]
    ltr, rtl = bar_chart(bars, width=400), bar_chart(bars, width=400, rtl=True)
    for left, right in zip(ltr.rows, rtl.rows, strict=True):
        if left.bar:  # each bar grows from the mirror image of its start, its label and value mirrored too
            assert right.bar_x + right.bar_width == 400 - left.bar_x
            assert (right.label_x, right.value_x) == (400 - left.label_x, 400 - left.value_x)
    assert rtl.plot_x + rtl.plot_width == 400 - ltr.plot_x and rtl.heading_x == 400
    columns = [Bar("2020", 3), Bar("2021", 7)]
    ltr_columns, rtl_columns = column_chart(columns), column_chart(columns, rtl=True)
    assert [column.center for column in rtl_columns.columns] == [540 - c.center for c in ltr_columns.columns]
    assert rtl_columns.axis_x == 540 - ltr_columns.axis_x
    assert (rtl_columns.grid_x1, rtl_columns.grid_x2) == (540 - ltr_columns.grid_x2, 540 - ltr_columns.grid_x1)


# --- query counts -------------------------------------------------------------------------------------------------

# Exact baselines, identical with 1 and with 30 rows of everything the dashboard shows. The IRO dashboards
# read their notifications through the inbox every surface uses: the latest entries, then one query per kind of
# record they name (each read through its own policy, its organization joined); the navbar counts the unread ones.
# Their demarches to answer are two more (how many, the oldest). The Committee's thematic-area and region counts
# run in a transaction with more memory for their hashes (a savepoint, the setting, its release: inside the test's
# own transaction), and the thematic areas are read apart from their counts (a semi-join on the links alone costs
# half of counting them in the areas' query at 100,000 programs).
DASHBOARD_QUERIES = {"committee": 18, "admin": 18, "owner_focal": 15, "selected_member": 16}


def add_rows(orgs, reference, count: int, start: int) -> None:
    people_org = orgs["owner"]
    for number in range(start, start + count):
        program = submission_with_grants(
            ProgramFactory,
            organization=people_org,
            state=State.SUBMITTED if number % 3 else State.DRAFT,
            audience=Audience.SELECTED if number % 2 else Audience.PUBLIC,
            shared_with=[orgs["selected"]] if number % 2 else [],
            title=f"Program {number}",
        )
        program.thematic_areas.add(reference["chemical"], reference["border"])
        program.regions.add(reference["east"])
        submission_with_grants(
            ProgramFactory,
            organization=orgs["selected"],
            state=State.SUBMITTED,
            audience=Audience.ALL_IROS,
            title=f"Their program {number}",
        )
        submission_with_grants(
            PointOfContactFactory,
            organization=people_org,
            state=State.SUBMITTED,
            audience=Audience.PUBLIC,
            since="2019-01-01",
            until="2020-01-01",
        )
        interaction = InteractionFactory(date=date(2015 + number % 8, 1, 1), public=True)
        interaction.organizations.add(people_org)
        DemarcheFactory(organization=OrganizationFactory(), follow_up_due=timezone.localdate() + timedelta(30))
        RegionalCoordinatorFactory(host=people_org)


@pytest.mark.parametrize("persona", list(DASHBOARD_QUERIES))
def test_dashboard_query_count_is_the_same_for_1_and_30_rows(
    sign_in, world, reference, django_assert_num_queries, persona
):
    orgs, people = world
    client = sign_in(persona)

    def notify(number):
        if persona == "selected_member":
            program = submission_with_grants(
                ProgramFactory,
                organization=orgs["owner"],
                state=State.SUBMITTED,
                audience=Audience.SELECTED,
                shared_with=[orgs["selected"]],
                title=f"Notified {number}",
            )
            Notification.objects.create(
                recipient=people[persona],
                kind=Notification.Kind.SHARED,
                record_type="programs.program",
                record_id=program.pk,
                delivered_at=timezone.now(),
            )

    add_rows(orgs, reference, 1, 0)
    notify(0)
    with django_assert_num_queries(DASHBOARD_QUERIES[persona]):
        assert client.get(reverse("dashboard:home")).status_code == 200

    add_rows(orgs, reference, 29, 1)
    for number in range(1, 30):
        notify(number)
    with django_assert_num_queries(DASHBOARD_QUERIES[persona]):
        response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
