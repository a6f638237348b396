# The sharing fixtures (three organizations, a person per persona, a program factory) serve these tests too.
from tests.confidentiality.conftest import make_program, orgs, people  # noqa: F401
