"""Reading programs and documents, always through the visibility policy."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet

from confidentiality import policies
from programs.models import Document, Program, ProgramPartner


def program_list_for(*, actor) -> QuerySet[Program]:
    """Every program `actor` may see, newest first, with what a list row shows."""
    return policies.visible_to(actor, Program.objects.select_related("organization")).order_by("-updated", "-id")


def program_get_for(*, actor, program_id) -> Program:
    """The program, or Http404 when it is missing or hidden from `actor` (the same answer)."""
    queryset = Program.objects.select_related("organization").prefetch_related(
        "thematic_areas",
        "regions",
        "tags",
        Prefetch("partnerships", queryset=ProgramPartner.objects.select_related("organization")),
        "documents",
    )
    return policies.get_visible_or_404(actor, queryset, pk=program_id)


def program_get_for_edit(*, actor, program_id) -> Program:
    """404 when hidden, 403 when visible but not editable by `actor`."""
    program = program_get_for(actor=actor, program_id=program_id)
    if not policies.can_edit(actor, program):
        raise PermissionDenied
    return program


def document_list_for(*, actor) -> QuerySet[Document]:
    return policies.visible_to(actor, Document.objects.select_related("program__organization")).order_by(
        "-uploaded_at", "-id"
    )


def document_get_for(*, actor, document_id) -> Document:
    return policies.get_visible_or_404(actor, Document.objects.select_related("program"), pk=document_id)


def partner_programs_for(*, actor, organization) -> QuerySet[Program]:
    """Programs in which `organization` is a partner (not the owner), as far as `actor` may see them."""
    return program_list_for(actor=actor).filter(partnerships__organization=organization).distinct()
