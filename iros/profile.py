"""The confidential panels of an organization's profile page, read through the visibility policy.

Each panel holds only what the viewer may see, and no panel counts or hints at hidden records: a panel with
nothing visible reads the same whether nothing exists or nothing was shared.
"""

from __future__ import annotations

from django.db.models import Prefetch

from confidentiality import policies
from contacts.selectors import contact_list_for, designation_status
from iros.models import Agreement, Interaction, Organization
from iros.selectors import can_read_igo_table
from programs.models import ProgramPartner
from programs.selectors import partner_programs_for, program_list_for

PANEL_LIMIT = 10


def _newest(queryset, limit: int = PANEL_LIMIT) -> tuple[list, bool]:
    """The first `limit` rows and whether there are more (one query, no count)."""
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def organization_panels(*, actor, organization: Organization) -> dict:
    """The context of the profile's designation, contacts, programs, agreements and interactions panels."""
    programs, more_programs = _newest(program_list_for(actor=actor).filter(organization=organization))
    partner_programs, more_partner_programs = _newest(
        partner_programs_for(actor=actor, organization=organization)
        .exclude(organization=organization)  # its own programs, where it lists itself as lead, are above
        .prefetch_related(
            Prefetch(
                "partnerships",
                queryset=ProgramPartner.objects.filter(organization=organization),
                to_attr="roles_of_organization",
            )
        )
    )
    interactions, more_interactions = _newest(
        policies.visible_to(actor, Interaction.objects.filter(organizations=organization))
        .prefetch_related(Prefetch("organizations", queryset=Organization.objects.order_by("acronym")))
        .order_by("-date", "-id")
    )
    agreements = policies.visible_to(actor, Agreement.objects.filter(parties=organization)).prefetch_related(
        Prefetch("parties", queryset=Organization.objects.order_by("acronym"))
    )
    contacts = (
        contact_list_for(actor=actor)
        .filter(organization=organization, until__isnull=True)
        .order_by("role", "-state", "-since", "-id")
    )
    return {
        "designation": designation_status(organizations=[organization])[0],
        "panel_contacts": list(contacts),
        "can_designate": policies.can_create_submission(actor, organization),
        "can_edit_profile": policies.can_edit(actor, organization),
        "panel_programs": programs,
        "more_programs": more_programs,
        "panel_partner_programs": partner_programs,
        "more_partner_programs": more_partner_programs,
        "panel_agreements": list(agreements),
        "panel_interactions": interactions,
        "more_interactions": more_interactions,
        # The per-IRO IGO table is the Committee's; an organization sees its own rows.
        "show_igo_link": can_read_igo_table(actor=actor, organization=organization),
    }
