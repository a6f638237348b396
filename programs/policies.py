"""Who sees and changes programs and what belongs to them: the programs app's entries in the policy registry."""

from confidentiality.policies import (
    DependentSubmissionPolicy,
    ReferencePolicy,
    StateTallyPolicy,
    SubmissionPolicy,
    register,
)
from programs.models import Document, Program, ProgramPartner, ProgramTally, Tag


def register_policies() -> None:
    register(SubmissionPolicy(Program))
    # Documents and partnerships follow their program's audience; its editors change them.
    register(DependentSubmissionPolicy(Document, parent="program"))
    register(DependentSubmissionPolicy(ProgramPartner, parent="program"))
    register(ReferencePolicy(Tag))
    # The counts per state: only for whom sees every program of the state (the Committee: submitted ones).
    register(StateTallyPolicy(ProgramTally, counted=Program))
