"""The programs app's submission kind, as the generic pages (`confidentiality.views`) and API serve it."""

from confidentiality.kinds import SubmissionKind
from programs import selectors, services
from programs.models import Program

PROGRAM = SubmissionKind(
    Program,
    record_name="program",
    name_field="title",
    selectors=selectors,
    services=services,
    history_units={"budget": "currency"},
)
