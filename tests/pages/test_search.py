"""Search: every persona finds exactly what it may see, ranked, with no count or snippet from a hidden record."""

import random

import pytest
from django.db import connection
from django.urls import reverse

from confidentiality.models import Audience, State
from contacts.models import ContactRole
from portal.kernel.fulltext import SEARCH_CONFIG, websearch_text
from portal.pages.search.selectors import clean_query
from tests.factories import (
    EventFactory,
    InteractionFactory,
    OrganizationFactory,
    PointOfContactFactory,
    ProgramFactory,
    submission_with_grants,
)
from tests.world import SHARING_PERSONAS, sharing_oracle

pytestmark = pytest.mark.django_db

WORD = "zeppelin"
CANARY = "CANARY-5e1d"
# Every (state, audience) a submission can have; the marker names it in titles and people's names.
COMBINATIONS = [
    (State.DRAFT, Audience.PUBLIC),
    (State.DRAFT, Audience.COMMITTEE),
    (State.SUBMITTED, Audience.COMMITTEE),
    (State.SUBMITTED, Audience.SELECTED),
    (State.SUBMITTED, Audience.ALL_IROS),
    (State.SUBMITTED, Audience.PUBLIC),
]


def marker(kind: str, state: str, audience: str) -> str:
    return f"{kind}marker{state}{audience}".replace("_", "")


@pytest.fixture
def records(world):
    """One program and one contact per (state, audience), an interaction of the owner only and a public one."""
    orgs, _people = world
    for index, (state, audience) in enumerate(COMBINATIONS):
        shared_with = [orgs["selected"]] if audience == Audience.SELECTED else []
        submission_with_grants(
            ProgramFactory,
            organization=orgs["owner"],
            state=state,
            audience=audience,
            shared_with=shared_with,
            title=f"{WORD} {marker('program', state, audience)}",
            summary=f"{CANARY if audience == Audience.COMMITTEE else ''} about {WORD}",
        )
        submission_with_grants(
            PointOfContactFactory,
            organization=orgs["owner"],
            state=state,
            audience=audience,
            shared_with=shared_with,
            role=ContactRole.ASSISTANCE if index % 2 else ContactRole.IMPLEMENTATION,
            person=f"{WORD} {marker('contact', state, audience)}",
            title=CANARY if audience == Audience.COMMITTEE else "Adviser",
            until=None if state == State.DRAFT or index >= 4 else "2020-01-01",
            since="2019-01-01",
        )
    private = InteractionFactory(summary=f"{WORD} interactionmarkerprivate {CANARY}", public=False)
    private.organizations.add(orgs["owner"])
    public = InteractionFactory(summary=f"{WORD} interactionmarkerpublic", public=True)
    public.organizations.add(orgs["owner"])
    EventFactory(title=f"{WORD} outreach eventmarker", place="Vienna")
    OrganizationFactory(acronym="ZEP", name=f"{WORD.title()} Regional Organization")


def interaction_oracle(persona: str, public: bool) -> bool:
    return public or persona in ("owner_focal", "owner_member", "committee", "admin")


def effective(persona: str) -> str:
    # An inactive user is an anonymous visitor.
    return "anonymous" if persona == "inactive" else persona


# --- the leak matrix ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SHARING_PERSONAS)
def test_search_shows_every_visible_record_and_nothing_hidden(sign_in, records, persona):
    client = sign_in(persona)
    seen_as = effective(persona)

    for kind in ("programs", "contacts"):
        response = client.get(reverse("search:results"), {"q": WORD, "type": kind})
        assert response.status_code == 200
        body = response.content.decode()
        singular = kind.rstrip("s")
        for state, audience in COMBINATIONS:
            expected = sharing_oracle(seen_as, state, audience)
            assert (marker(singular, state, audience) in body) is expected, (kind, state, audience)
        # The paginator's total counts the visible matches only.
        expected_total = sum(sharing_oracle(seen_as, state, audience) for state, audience in COMBINATIONS)
        assert response.context["page_obj"].paginator.count == expected_total
        assert (CANARY in body) is sharing_oracle(seen_as, State.SUBMITTED, Audience.COMMITTEE)

    overview = client.get(reverse("search:results"), {"q": WORD}).content.decode()
    assert ("interactionmarkerprivate" in overview) is interaction_oracle(seen_as, public=False)
    assert "interactionmarkerpublic" in overview
    assert "eventmarker" in overview
    assert "Zeppelin Regional Organization" in overview
    if not interaction_oracle(seen_as, public=False) and not sharing_oracle(
        seen_as, State.SUBMITTED, Audience.COMMITTEE
    ):
        assert CANARY not in overview


@pytest.mark.parametrize("persona", ["anonymous", "other_member", "inactive"])
def test_searching_for_a_hidden_record_finds_nothing(sign_in, records, persona):
    # given a word that only records hidden from this persona contain
    client = sign_in(persona)

    # when they search for it
    response = client.get(reverse("search:results"), {"q": "canary"})

    # then nothing at all is found, and no section hints at hidden matches
    body = response.content.decode()
    assert response.context["nothing_found"] is True
    assert "Nothing matches" in body
    for kind in ("programs", "contacts", "interactions"):
        assert f'id="results-{kind}"' not in body
    typed = client.get(reverse("search:results"), {"q": "canary", "type": "programs"})
    assert typed.context["page_obj"].paginator.count == 0
    assert "Showing" not in typed.content.decode()


def test_the_committee_finds_the_submitted_canary_but_never_a_draft(sign_in, world):
    orgs, _people = world
    submission_with_grants(
        ProgramFactory, organization=orgs["owner"], state=State.DRAFT, title=f"Draft {CANARY} plan", summary=""
    )
    client = sign_in("committee")
    assert "Nothing matches" in client.get(reverse("search:results"), {"q": CANARY}).content.decode()
    assert "Draft" in sign_in("owner_member").get(reverse("search:results"), {"q": CANARY}).content.decode()


# --- ranking, snippets, states --------------------------------------------------------------------------------


def test_a_title_match_ranks_above_a_summary_only_match(sign_in, world):
    orgs, _people = world
    summary_only = submission_with_grants(
        ProgramFactory,
        organization=orgs["owner"],
        state=State.SUBMITTED,
        audience=Audience.PUBLIC,
        title="Summary only program",
        summary="Training on customs enforcement of strategic trade controls.",
    )
    in_title = submission_with_grants(
        ProgramFactory,
        organization=orgs["owner"],
        state=State.SUBMITTED,
        audience=Audience.PUBLIC,
        title="Customs enforcement",
        summary="A program.",
    )
    client = sign_in("anonymous")

    response = client.get(reverse("search:results"), {"q": "customs enforcement"})

    programs = next(section for section in response.context["overview"] if section.key == "programs")
    assert [row.pk for row in programs.rows] == [in_title.pk, summary_only.pk]
    body = response.content.decode()
    assert body.index("Customs enforcement") < body.index("Summary only program")


def test_snippets_mark_matches_and_escape_the_record_text(sign_in, world):
    orgs, _people = world
    submission_with_grants(
        ProgramFactory,
        organization=orgs["owner"],
        state=State.SUBMITTED,
        audience=Audience.PUBLIC,
        title="Export controls",
        summary="Licensing <img src=x onerror=alert(1)> of dual-use exports & more.",
    )
    body = sign_in("anonymous").get(reverse("search:results"), {"q": "licensing"}).content.decode()
    assert "<mark>Licensing</mark>" in body
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_stemming_finds_other_forms_of_a_word(sign_in, world):
    orgs, _people = world
    submission_with_grants(
        ProgramFactory,
        organization=orgs["owner"],
        state=State.SUBMITTED,
        audience=Audience.PUBLIC,
        title="Border controls training",
    )
    body = sign_in("anonymous").get(reverse("search:results"), {"q": "controlling borders"}).content.decode()
    assert "Border controls training" in body


def test_empty_and_no_result_states(sign_in, world):
    client = sign_in("anonymous")
    empty = client.get(reverse("search:results"))
    assert empty.status_code == 200
    assert "Type a word to search" in empty.content.decode()
    blank = client.get(reverse("search:results"), {"q": "   "})
    assert "Type a word to search" in blank.content.decode()
    none = client.get(reverse("search:results"), {"q": "xylophonic"})
    assert "Nothing matches" in none.content.decode()
    typed_none = client.get(reverse("search:results"), {"q": "xylophonic", "type": "events"})
    assert "No events match" in typed_none.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"q": "a\x00b"},
        {"q": '"unbalanced'},
        {"q": "or or - -"},
        {"q": "x" * 5000},
        {"q": "&|!():*<>"},
        {"q": WORD, "type": "users"},
        {"q": WORD, "type": "programs", "page": "999"},
        {"q": WORD, "type": "programs", "page": "x"},
    ],
)
def test_odd_input_never_fails(sign_in, records, query):
    assert sign_in("owner_member").get(reverse("search:results"), query).status_code == 200


# --- operators people type ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["-" * 40, "- " * 40, "-!" * 40, '""' + "-" * 40 + "zeppelin", "(-" * 40, "!" * 40])
@pytest.mark.parametrize("section", ["", "programs"])
def test_runs_of_operators_never_fail(sign_in, records, query, section):
    # Forty hyphens nested forty "not"s, past what PostgreSQL parses ("tsquery stack too small"): a 500.
    response = sign_in("anonymous").get(reverse("search:results"), {"q": query, "type": section})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("--nuclear", "-nuclear"),
        ("border - - -customs", "border -customs"),
        ("border -", "border"),
        ("x!y (a|b) <c> d&e", "x y a b c d e"),
        ('"export control" or -nuclear e-mail', '"export control" or -nuclear e-mail'),
        ('""---nuclear', '""-nuclear'),
        ("-" * 40, ""),
    ],
)
def test_typed_operators_are_read_as_people_mean_them(typed, searched):
    assert websearch_text(typed) == searched


def test_an_exclusion_still_excludes(sign_in, world):
    orgs, _people = world
    for title in ("Border customs training", "Border police training"):
        submission_with_grants(
            ProgramFactory, organization=orgs["owner"], state=State.SUBMITTED, audience=Audience.PUBLIC, title=title
        )
    body = sign_in("anonymous").get(reverse("search:results"), {"q": "border ---customs"}).content.decode()
    assert "Border police training" in body
    assert "Border customs training" not in body


def test_postgresql_parses_whatever_is_typed(db):
    # Strings built from runs of everything websearch_to_tsquery reads specially, parsed in one statement.
    pieces = ["-", "!", "&", "|", "(", ")", "<", ">", ":", "*", '"', "'", "\\", " ", "or", "-or", "<->", "word", "é"]
    generator = random.Random(1540)
    typed = [
        "".join(generator.choice(pieces) * generator.choice([1, 2, 33, 40]) for _ in range(generator.randint(1, 12)))
        for _ in range(2000)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(websearch_to_tsquery(%s::regconfig, text)) FROM unnest(%s::text[]) AS text",
            [SEARCH_CONFIG, [websearch_text(clean_query(text)) for text in typed]],
        )
        assert cursor.fetchone()[0] == len(typed)


def test_the_section_page_paginates_and_the_overview_links_to_more(sign_in, world):
    orgs, _people = world
    for number in range(25):
        submission_with_grants(
            ProgramFactory,
            organization=orgs["owner"],
            state=State.SUBMITTED,
            audience=Audience.PUBLIC,
            title=f"Nonproliferation course {number}",
        )
    client = sign_in("anonymous")
    overview = client.get(reverse("search:results"), {"q": "nonproliferation"})
    programs = next(section for section in overview.context["overview"] if section.key == "programs")
    assert len(programs.rows) == 5
    assert programs.has_more
    assert "type=programs" in overview.content.decode()

    second = client.get(reverse("search:results"), {"q": "nonproliferation", "type": "programs", "page": 2})
    assert len(second.context["page_obj"].object_list) == 5
    assert "Showing 21–25 of 25" in second.content.decode()


# --- query counts -----------------------------------------------------------------------------------------------

# Exact baselines, the same with 1 and with 30 matching rows in every section. The overview: one query per
# section plus the interactions' organizations; a section page: its count, its rows and their organizations.
# Signed in, the layout adds the session and the user (and for an IRO user the viewer's membership and the
# navigation's organization badge, 2 more).
# Signed in, the navbar counts the unread notifications (one query).
OVERVIEW_QUERIES = {"anonymous": 6, "owner_member": 10, "committee": 9, "admin": 9}
SECTION_QUERIES = {"anonymous": 3, "owner_member": 7, "committee": 6, "admin": 6}


def add_matching_rows(orgs, count: int, start: int) -> None:
    for number in range(start, start + count):
        submission_with_grants(
            ProgramFactory,
            organization=orgs["owner"],
            state=State.SUBMITTED,
            audience=Audience.PUBLIC,
            title=f"{WORD} program {number}",
        )
        submission_with_grants(
            PointOfContactFactory,
            organization=orgs["owner"],
            state=State.SUBMITTED,
            audience=Audience.PUBLIC,
            person=f"{WORD} person {number}",
            since="2019-01-01",
            until="2020-01-01",
        )
        interaction = InteractionFactory(summary=f"{WORD} meeting {number}", public=True)
        interaction.organizations.add(orgs["owner"], orgs["other"])
        EventFactory(title=f"{WORD} event {number}")
        OrganizationFactory(acronym=f"ZEP{number}", name=f"{WORD} organization {number}")


@pytest.mark.parametrize("persona", list(OVERVIEW_QUERIES))
def test_search_query_count_is_the_same_for_1_and_30_rows(sign_in, world, django_assert_num_queries, persona):
    orgs, _people = world
    client = sign_in(persona)
    add_matching_rows(orgs, 1, 0)
    with django_assert_num_queries(OVERVIEW_QUERIES[persona]):
        assert client.get(reverse("search:results"), {"q": WORD}).status_code == 200
    with django_assert_num_queries(SECTION_QUERIES[persona]):
        assert client.get(reverse("search:results"), {"q": WORD, "type": "interactions"}).status_code == 200

    add_matching_rows(orgs, 29, 1)
    with django_assert_num_queries(OVERVIEW_QUERIES[persona]):
        response = client.get(reverse("search:results"), {"q": WORD})
    assert all(len(section.rows) == 5 and section.has_more for section in response.context["overview"])
    with django_assert_num_queries(SECTION_QUERIES[persona]):
        response = client.get(reverse("search:results"), {"q": WORD, "type": "interactions"})
    assert len(response.context["page_obj"].object_list) == 20


def test_results_link_to_each_record(sign_in, world):
    orgs, _people = world
    program = submission_with_grants(
        ProgramFactory, organization=orgs["owner"], state=State.SUBMITTED, audience=Audience.PUBLIC, title="Quokka"
    )
    contact = submission_with_grants(
        PointOfContactFactory,
        organization=orgs["owner"],
        state=State.SUBMITTED,
        audience=Audience.PUBLIC,
        person="Quokka Desk",
    )
    event = EventFactory(title="Quokka seminar")
    body = sign_in("anonymous").get(reverse("search:results"), {"q": "quokka"}).content.decode()
    assert reverse("programs:detail", args=[program.pk]) in body
    assert reverse("contacts:detail", args=[contact.pk]) in body
    assert reverse("iros:event_detail", args=[event.pk]) in body


# --- the header search box and linked results ---------------------------------------------------------------


def test_the_header_search_box_does_not_take_a_list_s_keyword_filter(client):
    html = client.get(reverse("programs:list"), {"q": "customs Kazakhstan"}).content.decode()

    nav_input = html[html.index('id="nav-search"') - 200 : html.index('id="nav-search"') + 200]
    assert "customs" not in nav_input
    # the list keeps its own filter
    assert 'value="customs Kazakhstan"' in html


def test_the_search_page_keeps_its_own_box_filled(client):
    html = client.get(reverse("search:results"), {"q": "zeppelin"}).content.decode()

    search_box = html[html.index('id="search-q"') : html.index('id="search-q"') + 200]
    assert 'value="zeppelin"' in search_box


def test_interaction_results_link_to_the_interaction(client, world):
    orgs, _people = world
    interaction = InteractionFactory(summary=f"{WORD} public meeting", public=True)
    interaction.organizations.set([orgs["owner"]])

    html = client.get(reverse("search:results"), {"q": WORD, "type": "interactions"}).content.decode()

    assert f'href="{reverse("igo:interaction_detail", args=[interaction.pk])}"' in html
    assert client.get(interaction.get_absolute_url()).status_code == 200
