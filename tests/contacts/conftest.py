"""What the contacts, demarche and organization-profile page tests share; the cast is tests/world.py."""

from confidentiality.models import Audience, State
from tests.world import SHARING_PERSONAS

# Every persona the pages are checked for; an inactive account browses as an anonymous visitor (the leak matrix).
PAGE_PERSONAS = tuple(persona for persona in SHARING_PERSONAS if persona != "inactive")
CANARY = "CANARY-b41e77"

# (state, audience) of a submission; tests.world.sharing_oracle says which persona may see it.
SUBMISSION_CASES = [
    (State.DRAFT, Audience.PUBLIC),
    (State.SUBMITTED, Audience.COMMITTEE),
    (State.SUBMITTED, Audience.SELECTED),
    (State.SUBMITTED, Audience.ALL_IROS),
    (State.SUBMITTED, Audience.PUBLIC),
]
