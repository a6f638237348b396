"""Reading programs and documents, always through the visibility policy."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from confidentiality import policies
from confidentiality.models import State
from programs.models import Document, Program, ProgramPartner

# A submitted program still planned or ongoing that nobody touched for this long asks its owner for an update.
STALE_AFTER = timedelta(days=365)


def stale_since(*, today: date) -> datetime:
    """The moment before which a program's last update makes it stale on `today`.

    Counted in whole local days, so the dashboard's to-do list and the monthly reminder (which runs at dawn)
    call a program stale from the same moment.
    """
    return timezone.make_aware(datetime.combine(today - STALE_AFTER, time.min))


def stale_program_filter(*, today: date) -> Q:
    """The one definition of a stale program on `today`, for `.filter()` and for `Count(filter=...)` alike."""
    return Q(
        state=State.SUBMITTED,
        status__in=[Program.Status.PLANNED, Program.Status.ONGOING],
        updated__lt=stale_since(today=today),
    )


def program_list_for(*, actor) -> QuerySet[Program]:
    """Every program `actor` may see, newest first, with what a list row shows."""
    return policies.visible_to(actor, Program.objects.select_related("organization")).order_by("-updated", "-id")


def _program_with_relations() -> QuerySet[Program]:
    return Program.objects.select_related("organization").prefetch_related(
        "thematic_areas",
        "regions",
        "tags",
        Prefetch("partnerships", queryset=ProgramPartner.objects.select_related("organization")),
        "documents",
    )


def program_get_for(*, actor, program_id) -> Program:
    """The program, or Http404 when it is missing or hidden from `actor` (the same answer)."""
    return policies.get_visible_or_404(actor, _program_with_relations(), pk=program_id)


def program_get_by_key_for(*, actor, organization, external_key: str) -> Program | None:
    """`organization`'s program with this key (`Program.external_key`) if `actor` may see it, else None."""
    queryset = _program_with_relations().prefetch_related("shared_with")
    return policies.visible_to(actor, queryset).filter(organization=organization, external_key=external_key).first()


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
