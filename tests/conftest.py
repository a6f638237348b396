import pytest
from django.conf import settings as django_settings
from django.utils import translation

from confidentiality.models import Audience, State
from portal.kernel.reference_choices import forget_reference_choices
from tests.factories import PointOfContactFactory, ProgramFactory, submission_with_grants
from tests.world import World, build_orgs, build_people, signed_in


@pytest.fixture(autouse=True)
def _documents_in_tmp(settings, tmp_path):
    # Uploaded files of one test never leak into another's storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "documents")},
        },
    }


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's order (database tests, then transactional ones), run the transactional tests that
    reload the serialized database before those that do not.

    A transactional test without serialized rollback ends with a flush whose post_migrate recreates the
    permissions and the shared groups under new ids; a serialized test run after it on the same worker would
    reload rows that clash with them (duplicate group names, grants naming permissions that are gone). Each xdist
    worker runs its tests in collection order, so this order keeps every worker safe.
    """

    def clashes_with_serialized(item) -> bool:
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and marker.kwargs.get("transaction")
        transactional = transactional or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        return bool(transactional) and not (marker is not None and marker.kwargs.get("serialized_rollback"))

    items.sort(key=clashes_with_serialized)


@pytest.fixture(autouse=True)
def _reference_choices_of_the_test():
    # Each test starts from its own database: options a previous test's process kept would name its records.
    forget_reference_choices()
    yield
    forget_reference_choices()


@pytest.fixture(autouse=True)
def _language_of_the_test():
    # A request in another language leaves it active in the thread: each test starts in the default language.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


# --- the standard cast (tests/world.py) -----------------------------------------------------------------------


# Apart, so that a test asking for the organizations only creates no user (some count or notify every user).
@pytest.fixture
def orgs(db):
    return build_orgs()


@pytest.fixture
def people(orgs):
    return build_people(orgs)


@pytest.fixture
def world(orgs, people) -> World:
    return World(orgs, people)


@pytest.fixture
def sign_in(client, request):
    """Signs the test client in as a persona of the world (by name) or as a given user (None: signed out).

    The world is built only when a persona is named, so tests that bring their own users pay nothing for it.
    """

    def sign_in_as(who):
        user = request.getfixturevalue("people")[who] if isinstance(who, str) else who
        return signed_in(client, user)

    return sign_in_as


def _submission_maker(factory, orgs):
    """Builds records of the owner; a `selected` one is shared with the selected organization unless told otherwise."""

    def make(*, state=State.SUBMITTED, audience=Audience.COMMITTEE, shared_with=(), owner=None, **fields):
        if audience == Audience.SELECTED and not shared_with:
            shared_with = [orgs["selected"]]
        return submission_with_grants(
            factory,
            organization=owner or orgs["owner"],
            state=state,
            audience=audience,
            shared_with=shared_with,
            **fields,
        )

    return make


@pytest.fixture
def make_program(orgs):
    return _submission_maker(ProgramFactory, orgs)


@pytest.fixture
def make_contact(orgs):
    return _submission_maker(PointOfContactFactory, orgs)
