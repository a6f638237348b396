"""The portal's words, defined once: the glossary page lists them and `{% glossary_link "term" %}` points at one
from the fields and headings where the word appears (portal/pages/templatetags/portal_tags.py).

Each entry is an anchor (stable: links use it), the term and its definition, both translatable.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    anchor: str
    term: Promise
    definition: Promise


ENTRIES = (
    Entry(
        "op1",
        _("OP1 — no support to non-State actors"),
        _(
            "Operative paragraph 1 of resolution 1540 (2004): States refrain from providing any form of support to "
            "non-State actors that attempt to develop, acquire, manufacture, possess, transport, transfer or use "
            "nuclear, chemical or biological weapons and their means of delivery."
        ),
    ),
    Entry(
        "op2",
        _("OP2 — prohibitions in national law"),
        _(
            "Operative paragraph 2: States adopt and enforce appropriate effective laws that prohibit any non-State "
            "actor from those activities, in particular for terrorist purposes, and attempts to engage in them, "
            "participate in them as an accomplice, assist or finance them."
        ),
    ),
    Entry(
        "op3",
        _("OP3(a)–(d) — domestic controls"),
        _(
            "Operative paragraph 3: States develop and maintain appropriate effective domestic controls over related "
            "materials: (a) accounting for and securing them in production, use, storage or transport; (b) "
            "physical protection; (c) border controls and law enforcement against illicit trafficking and "
            "brokering; (d) export and trans-shipment controls, including controls on funds and services and "
            "end-user controls, with criminal or civil penalties. A program's thematic areas name the paragraphs it "
            "helps States implement."
        ),
    ),
    Entry(
        "financing",
        _("Proliferation financing"),
        _(
            "Providing funds or financial services for the proliferation of weapons of mass destruction: "
            "prohibited under OP2 and controlled under OP3(d)."
        ),
    ),
    Entry(
        "iro",
        _("IRO"),
        _(
            "An international, regional or sub-regional organization (or an arrangement such as a multilateral "
            "export control regime) whose work is relevant to resolution 1540. Each has its own page in the "
            "directory."
        ),
    ),
    Entry(
        "audience",
        _("Audience"),
        _(
            "Who, besides the 1540 Committee, may see a submitted record: the Committee only; selected "
            "organizations (named one by one); all IROs; or everyone (public). A draft is seen only by its own "
            "organization and the portal's administrators. The owner organization's focal points choose the "
            "audience and may change it at any time; the change takes effect at once."
        ),
    ),
    Entry(
        "draft",
        _("Draft and submitted"),
        _(
            "A record is a draft until its organization submits it to the Committee; only then do the Committee and "
            "the audience see it. A focal point may withdraw a submitted record to draft, which hides it again."
        ),
    ),
    Entry(
        "focal-point",
        _("Focal point"),
        _(
            "A person who acts for an organization in the portal: edits its profile, its points of contact and its "
            "programs, submits them and chooses their audience, and manages the organization's member accounts. "
            "An organization has up to two focal points."
        ),
    ),
    Entry(
        "member",
        _("Member"),
        _("A person of an organization who reads what the organization and others share with it, without editing."),
    ),
    Entry(
        "committee-expert",
        _("Committee expert"),
        _(
            "An expert supporting the Security Council's 1540 Committee: reads every submitted record (never an "
            "organization's drafts), records the Committee's interactions, events and demarches, and keeps the IGO "
            "tables."
        ),
    ),
    Entry(
        "point-of-contact",
        _("Point of contact"),
        _(
            "The person an organization names, as resolution 1977 (2011) asks, to deal with the Committee: one for "
            "assistance and one for implementation. The contact's details are a record with an audience, like a "
            "program."
        ),
    ),
    Entry(
        "designated",
        _("Designated"),
        _(
            "An organization has designated a point of contact for a role when it has submitted a contact for that "
            "role whose designation has not ended. Whether, and since when, a role is designated is public; the "
            "contact's details follow their audience. Ending a designation keeps the contact in the history and "
            "makes the role not designated until a successor is named."
        ),
    ),
    Entry(
        "demarche",
        _("Demarche"),
        _(
            "A formal request of the Committee to an organization — for instance to designate a point of contact or "
            "to provide information — with the channel it was sent through, the date a follow-up is due, and the "
            "answer. The demarche log lists them; overdue follow-ups are marked."
        ),
    ),
    Entry(
        "igo-tables",
        _("IGO tables"),
        _(
            "The Committee's record of its interactions with intergovernmental organizations — briefings, joint "
            "activities, outreach events, letters, memoranda of understanding, meetings, correspondence and "
            "assistance referrals — counted per organization and kind. The Committee and administrators read every "
            "organization's row; an organization's users read their own."
        ),
    ),
    Entry(
        "regional-coordinator",
        _("Regional coordinator"),
        _(
            "A person hosted by an organization to coordinate resolution 1540 work in a region; the list shows each "
            "coordinator's status, from discussed to appointed or ended."
        ),
    ),
)
ANCHORS = frozenset(entry.anchor for entry in ENTRIES)


def entry_for(anchor: str) -> Entry:
    """The entry of `anchor`; LookupError for a word the glossary does not define (a link would lead nowhere)."""
    for entry in ENTRIES:
        if entry.anchor == anchor:
            return entry
    raise LookupError(anchor)


# The guide of each persona: its address and the role (portal.accounts.models.Role) it is written for.
PERSONAS = {
    "focal-point": ("focal_point", _("Focal points")),
    "member": ("member", _("Members of an organization")),
    "committee": ("committee", _("Committee experts")),
    "administrator": ("admin", _("Administrators")),
}
SLUG_OF_ROLE = {role: slug for slug, (role, _title) in PERSONAS.items()}
