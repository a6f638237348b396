"""Who sees and changes programs and what belongs to them: the programs app's entries in the policy registry."""

from confidentiality.policies import DependentSubmissionPolicy, ReferencePolicy, SubmissionPolicy, register
from programs.models import Document, Program, ProgramPartner, Tag


def register_policies() -> None:
    register(SubmissionPolicy(Program))
    # Documents and partnerships follow their program's audience; its editors change them.
    register(DependentSubmissionPolicy(Document, parent="program"))
    register(DependentSubmissionPolicy(ProgramPartner, parent="program"))
    register(ReferencePolicy(Tag))
