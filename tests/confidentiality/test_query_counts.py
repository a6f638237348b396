"""The filtered program list costs a fixed number of queries, whatever the number of rows and the persona.

A list page is "first page of 50 + total count". For a given persona the count is the same with 1 and with 50
visible rows (no per-row query: the owner organization comes with `select_related`, visibility is one EXISTS in
the same statement). The baseline, per request (a fresh user object, process caches warm):

| persona    | queries | which                                                                     |
|------------|---------|---------------------------------------------------------------------------|
| IRO member | 3       | the viewer's membership (then cached on the user object), page, count     |
| Committee  | 2       | page, count (the role is on the user row: no query to decide)             |
| anonymous  | 2       | page, count                                                               |

The group and permission ids the filter needs are cached per process after first use (`index.shared_group_id`,
`index.permission_id`); the cold cost is counted separately below.
"""

import pytest
from django.contrib.contenttypes.models import ContentType

from confidentiality import index
from confidentiality.models import Audience, State
from portal.accounts.models import Role, User
from programs.selectors import program_list_for
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE_SIZE = 50
BASELINE = {"member": 3, "committee": 2, "anonymous": 2}


@pytest.fixture
def world(orgs, make_program):
    """Programs of other organizations that a member of OTHER may or may not see."""

    def build(visible: int) -> None:
        stranger = OrganizationFactory(acronym="STRANGER")
        for _ in range(visible):
            make_program(owner=stranger, state=State.SUBMITTED, audience=Audience.ALL_IROS)
        # hidden from the member, and drafts hidden from the Committee too
        make_program(owner=stranger, state=State.SUBMITTED, audience=Audience.COMMITTEE)
        make_program(owner=stranger, state=State.DRAFT, audience=Audience.PUBLIC)
        make_program(owner=stranger, state=State.SUBMITTED, audience=Audience.SELECTED, shared_with=[orgs["selected"]])

    return build


@pytest.fixture
def actors(orgs):
    return {
        "member": UserFactory(username="counted-member", role=Role.MEMBER, organization=orgs["other"]),
        "committee": UserFactory(username="counted-expert", role=Role.COMMITTEE),
        "anonymous": None,
    }


def _fresh(user):
    """The user as the next request loads it (nothing cached on the object)."""
    return None if user is None else User.objects.get(pk=user.pk)


def _page_and_count(actor) -> tuple[list, int]:
    queryset = program_list_for(actor=actor)
    page = [(program.pk, program.title, program.organization.acronym) for program in queryset[:PAGE_SIZE]]
    return page, queryset.count()


def _warm_process_caches(actors) -> None:
    for actor in actors.values():
        _page_and_count(_fresh(actor))


@pytest.mark.parametrize("persona", sorted(BASELINE))
@pytest.mark.parametrize("visible", [1, PAGE_SIZE])
def test_a_list_page_and_its_count_cost_a_fixed_number_of_queries(
    world, actors, persona, visible, django_assert_num_queries
):
    # given
    world(visible)
    _warm_process_caches(actors)
    actor = _fresh(actors[persona])
    # when
    with django_assert_num_queries(BASELINE[persona]):
        page, count = _page_and_count(actor)
    # then
    expected = {"member": visible, "committee": visible + 2, "anonymous": 0}[persona]
    assert count == expected
    assert len(page) == min(expected, PAGE_SIZE)


@pytest.mark.parametrize("persona", sorted(BASELINE))
def test_the_count_is_identical_with_1_and_with_50_rows(orgs, make_program, actors, persona, django_assert_num_queries):
    stranger = OrganizationFactory(acronym="STRANGER")
    _warm_process_caches(actors)
    queries = {}
    for visible in (1, PAGE_SIZE):
        while program_list_for(actor=None).count() < visible:
            make_program(owner=stranger, state=State.SUBMITTED, audience=Audience.PUBLIC)
        actor = _fresh(actors[persona])
        with django_assert_num_queries(BASELINE[persona]) as captured:
            page, count = _page_and_count(actor)
        assert count == len(page) == visible
        queries[visible] = len(captured.captured_queries)
    assert queries[1] == queries[PAGE_SIZE]


def test_the_viewer_is_worked_out_once_per_user_object(actors, django_assert_num_queries):
    _warm_process_caches(actors)
    member = _fresh(actors["member"])
    _page_and_count(member)
    # the same request again: the membership is not read twice
    with django_assert_num_queries(2):
        _page_and_count(member)


def test_cold_process_caches_cost_four_queries_once(orgs, make_program, actors, django_assert_num_queries):
    """After a deploy (or a test flush) the first list reads the two shared groups' ids and the view permission.

    member: membership + "all IRO members" group + "public" group + content type + view permission + page + count.
    """
    make_program(state=State.SUBMITTED, audience=Audience.PUBLIC)
    index.reset_caches()
    ContentType.objects.clear_cache()
    cold, warm = _fresh(actors["member"]), _fresh(actors["member"])
    with django_assert_num_queries(BASELINE["member"] + 4):
        _page_and_count(cold)
    with django_assert_num_queries(BASELINE["member"]):
        _page_and_count(warm)
