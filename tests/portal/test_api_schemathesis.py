"""Fuzz the REST API against its own OpenAPI schema (schemathesis), as an administrator and as a focal point.

Every operation of /api/v1/schema/ is called with generated data; a 5xx, an undocumented status code, a wrong
content type or a body that does not match the schema fails the test. Bounded: a few examples per operation.

Excluded operations: none. The operations that could destroy the caller's own identity — deactivating oneself
(`POST /users/{id}/deactivate/`) and changing one's own role (`PATCH/PUT /users/{id}/`) — are refused by
`portal.accounts.services` with a 400, so they stay in the run and that refusal is fuzzed too.
"""

from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from confidentiality.models import Audience, State
from confidentiality.services import grants_write
from portal.accounts.models import Role
from portal.wsgi import application
from tests.factories import (
    AgreementFactory,
    DemarcheFactory,
    DocumentFactory,
    EventFactory,
    InteractionFactory,
    OrganizationFactory,
    PointOfContactFactory,
    ProgramFactory,
    RegionalCoordinatorFactory,
    RegionFactory,
    ThematicAreaFactory,
    UserFactory,
    api_token_for,
)

pytestmark = pytest.mark.schemathesis

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MAX_EXAMPLES = 8


@pytest.fixture(params=["admin", "focal_point"])
def caller(request, db):
    """Some data of every kind, and the caller's API token."""
    owner = OrganizationFactory(acronym="FUZZ")
    other = OrganizationFactory(acronym="FUZZ-OTHER")
    RegionFactory(code="150", name="Europe")
    ThematicAreaFactory(code="nuclear")
    for index, (state, audience) in enumerate(
        [(State.DRAFT, Audience.COMMITTEE), (State.SUBMITTED, Audience.PUBLIC), (State.SUBMITTED, Audience.SELECTED)]
    ):
        program = ProgramFactory(organization=owner if index != 2 else other, state=state, audience=audience)
        if audience == Audience.SELECTED:
            program.shared_with.set([owner])
        grants_write(program)
        DocumentFactory(program=program)
        contact = PointOfContactFactory(organization=owner, state=State.DRAFT, audience=Audience.COMMITTEE)
        grants_write(contact)
    EventFactory()
    RegionalCoordinatorFactory(host=owner)
    interaction = InteractionFactory(public=True)
    interaction.organizations.set([owner])
    DemarcheFactory(organization=owner)
    AgreementFactory().parties.set([owner, other])
    if request.param == "admin":
        user = UserFactory(username="fuzz-admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    else:
        user = UserFactory(username="fuzz-focal", role=Role.FOCAL_POINT, organization=owner)
    UserFactory(username="fuzz-member", role=Role.MEMBER, organization=owner)
    return {"Authorization": f"Token {api_token_for(user)[1]}"}


# Loaded at collection: generating the schema touches no database. (The lazy `from_fixture` loader does not run
# under pytest 9.)
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": MAX_EXAMPLES},
        # Probing every path with every HTTP method it does not declare only proves Django answers 405: skipped to
        # keep the run within a few minutes.
        "phases": {"coverage": {"unexpected-methods": []}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, config=CONFIG)


CALLS: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_figures(request):
    """Print how many operations and generated requests the run covered (the issue asks for the figures)."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and CALLS:
        operations = {label for label, _token in CALLS}
        reporter.write_line(
            f"schemathesis: {len(operations)} operations, {len(CALLS)} operation × caller runs, "
            f"{sum(CALLS.values())} generated requests"
        )


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # The WSGI handler closes the database connection after each request, which would end the test's
    # transaction; Django's own test client suspends that hook the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, caller):
    # Each call in its own savepoint, as each request has its own transaction on a real server.
    with transaction.atomic():
        CALLS[(case.operation.label, caller["Authorization"])] += 1
        case.call_and_validate(headers=caller, checks=CHECKS)
