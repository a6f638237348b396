import pytest
from django.conf import settings as django_settings
from django.db.backends.postgresql.operations import DatabaseOperations
from django.utils import translation

from confidentiality.models import Audience, State
from tests.factories import PointOfContactFactory, ProgramFactory, submission_with_grants
from tests.world import World, build_orgs, build_people, signed_in


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_append_only_triggers():
    # A transactional test ends with a flush, one TRUNCATE of every table, which the sharing audit's and the
    # security log's triggers refuse. The tests connect as a superuser, who alone may switch to replica mode,
    # where ordinary triggers do not fire: the flush alone runs in it (SET LOCAL ends with its transaction).
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **options):
        statements = original(self, style, tables, **options)
        return ["SET LOCAL session_replication_role = replica", *statements] if statements else statements

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


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
