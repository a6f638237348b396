"""Writing programs and documents. Sharing (state, audience) goes through `confidentiality.services`."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from confidentiality import policies
from confidentiality.models import Audience, State
from confidentiality.services import grants_write, submission_change_sharing
from iros.models import Organization, Region, ThematicArea
from portal.kernel.arguments import country_codes, records_by_code, reject_unknown_fields
from portal.kernel.locking import lock_for_update
from programs.models import PROGRAM_HISTORY, Document, Program, ProgramPartner, Tag

# What a document may be: office formats and PDF, by extension and declared type.
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".txt": "text/plain",
    ".csv": "text/csv",
}

CONTENT_FIELDS = (
    "title",
    "summary",
    "status",
    "start_date",
    "end_date",
    "budget",
    "currency",
    "assistance_on_request",
    "website",
    "external_key",
)


@dataclass(frozen=True)
class Partner:
    organization: Organization | str
    role: str


@dataclass(frozen=True)
class DocumentUpload:
    """A file to attach while a program is written (the program form's document rows)."""

    file: object  # an UploadedFile, or any Django File with a name and a size
    title: str = ""


def _tags(names: Iterable[str]) -> list[Tag]:
    tags = []
    for name in dict.fromkeys(str(name).strip() for name in names):
        if not name:
            continue
        slug = slugify(name)[:64]
        if not slug:
            raise ValidationError({"tags": _("“%(name)s” is not a usable tag.") % {"name": name}})
        tags.append(Tag.objects.get_or_create(slug=slug, defaults={"name": name[:64]})[0])
    return tags


def _partners(partners: Iterable) -> list[tuple[Organization, str]]:
    result = []
    for partner in partners:
        if isinstance(partner, dict):
            partner = Partner(organization=partner.get("organization"), role=partner.get("role"))
        if partner.role not in ProgramPartner.Role.values:
            raise ValidationError({"partners": _("Unknown partner role “%(role)s”.") % {"role": partner.role}})
        organization = partner.organization
        if not isinstance(organization, Organization):
            organization = Organization.objects.filter(acronym=organization).first()
            if organization is None:
                raise ValidationError(
                    {"partners": _("Unknown organization “%(acronym)s”.") % {"acronym": partner.organization}}
                )
        result.append((organization, partner.role))
    if len(set(result)) != len(result):
        raise ValidationError({"partners": _("A partner is listed twice with the same role.")})
    return result


@contextmanager
def _one_history_version(program: Program, history_type: str):
    """One version of the program for the edit made inside: its fields and its codes as they end up. Left to
    itself, simple_history writes one on the save and one more for each set of codes changed (m2m_changed), each
    with a copy of every set of codes: a third of the queries of a program's creation, and versions that the
    history would have to put back together."""
    program.skip_history_when_saving = True
    try:
        yield
    finally:
        del program.skip_history_when_saving
    PROGRAM_HISTORY.create_historical_record(program, history_type)


def _apply_relations(program: Program, *, thematic_areas, regions, tags, partners) -> None:
    if thematic_areas is not None:
        program.thematic_areas.set(records_by_code(ThematicArea, thematic_areas, error_field="thematic_areas"))
    if regions is not None:
        program.regions.set(records_by_code(Region, regions, error_field="regions"))
    if tags is not None:
        program.tags.set(_tags(tags))
    if partners is not None:
        wanted = _partners(partners)
        program.partnerships.all().delete()
        ProgramPartner.objects.bulk_create(
            ProgramPartner(program=program, organization=organization, role=role) for organization, role in wanted
        )


@transaction.atomic
def program_create(
    *,
    actor,
    organization: Organization,
    title: str,
    summary: str = "",
    status: str = Program.Status.PLANNED,
    start_date: date | None = None,
    end_date: date | None = None,
    budget: Decimal | None = None,
    currency: str = "",
    assistance_on_request: bool = False,
    website: str = "",
    external_key: str = "",
    thematic_areas: Iterable[str] = (),
    regions: Iterable[str] = (),
    beneficiary_countries: Iterable[str] = (),
    funding_states: Iterable[str] = (),
    tags: Iterable[str] = (),
    partners: Iterable = (),
    documents: Iterable[DocumentUpload] = (),
    state: str = State.DRAFT,
    audience: str = Audience.COMMITTEE,
    shared_with: Iterable = (),
) -> Program:
    """A new program of `organization`: a focal point of that organization or an administrator only.

    `documents` are attached in the same transaction: one rejected file and nothing at all is written."""
    if not policies.can_create_submission(actor, organization):
        raise PermissionDenied(_("You may submit programs only for your own organization."))
    documents = _documents_checked(documents)
    program = Program(
        organization=organization,
        title=title,
        summary=summary,
        status=status,
        start_date=start_date,
        end_date=end_date,
        budget=budget,
        currency=currency,
        assistance_on_request=assistance_on_request,
        website=website,
        external_key=external_key,
        beneficiary_countries=country_codes(beneficiary_countries, error_field="beneficiary_countries"),
        funding_states=country_codes(funding_states, error_field="funding_states"),
    )
    program.full_clean(exclude=["shared_with"])
    with _one_history_version(program, "+"):
        program.save()
        _apply_relations(program, thematic_areas=thematic_areas, regions=regions, tags=tags, partners=partners)
    grants_write(program)
    shared_with = list(shared_with)
    if state != State.DRAFT or audience != Audience.COMMITTEE or shared_with:
        program = submission_change_sharing(
            actor=actor, record=program, state=state, audience=audience, shared_with=shared_with
        )
    _documents_attach(actor=actor, program=program, documents=documents)
    return program


@transaction.atomic
def program_update(
    *,
    actor,
    program: Program,
    thematic_areas: Iterable[str] | None = None,
    regions: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
    partners: Iterable | None = None,
    documents: Iterable[DocumentUpload] = (),
    beneficiary_countries: Iterable[str] | None = None,
    funding_states: Iterable[str] | None = None,
    state: str | None = None,
    audience: str | None = None,
    shared_with: Iterable | None = None,
    **fields,
) -> Program:
    """Change a program's content (and, through the sharing service, its state and audience); `documents` are
    attached in the same transaction, all or none."""
    reject_unknown_fields(fields, CONTENT_FIELDS)
    documents = _documents_checked(documents)
    program = lock_for_update(
        program, actor=actor, allowed=policies.can_edit, message=_("You may not change this program.")
    )
    for name, value in fields.items():
        setattr(program, name, value)
    if beneficiary_countries is not None:
        program.beneficiary_countries = country_codes(beneficiary_countries, error_field="beneficiary_countries")
    if funding_states is not None:
        program.funding_states = country_codes(funding_states, error_field="funding_states")
    program.full_clean(exclude=["shared_with"])
    with _one_history_version(program, "~"):
        program.save()
        _apply_relations(program, thematic_areas=thematic_areas, regions=regions, tags=tags, partners=partners)
    if state is not None or audience is not None or shared_with is not None:
        program = submission_change_sharing(
            actor=actor, record=program, state=state, audience=audience, shared_with=shared_with
        )
    _documents_attach(actor=actor, program=program, documents=documents)
    return program


def _files_delete_on_commit(documents: Iterable[Document]) -> None:
    """Remove the documents' files once their rows are gone for good: a rollback keeps both.

    Robust: the rows are already deleted when this runs, so a storage error leaves an orphan file to log,
    never an error for the caller.
    """
    for document in documents:
        transaction.on_commit(partial(document.file.storage.delete, document.file.name), robust=True)


@transaction.atomic
def program_delete(*, actor, program: Program) -> None:
    program = lock_for_update(
        program, actor=actor, allowed=policies.can_delete, message=_("You may not delete this program.")
    )
    _files_delete_on_commit(program.documents.only("file"))
    program.delete()  # grants, partners and documents go with it (foreign keys cascade)


def document_validate(*, filename: str, size: int) -> str:
    """The content type to store for an upload, or a ValidationError on `file` that names the file (the person
    may have chosen several: "report.exe: …" says which one to change)."""
    extension = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    if extension not in DOCUMENT_TYPES:
        message = _("%(name)s: this type of file is not accepted. Allowed file types: %(types)s.")
        raise ValidationError({"file": message % {"name": filename, "types": ", ".join(sorted(DOCUMENT_TYPES))}})
    if size > settings.DOCUMENT_MAX_BYTES:
        message = _("%(name)s: the file is too large (at most %(mb)s MB).")
        raise ValidationError({"file": message % {"name": filename, "mb": settings.DOCUMENT_MAX_BYTES // 2**20}})
    if size == 0:
        raise ValidationError({"file": _("%(name)s: the file is empty.") % {"name": filename}})
    return DOCUMENT_TYPES[extension]


def _upload_name(file) -> str:
    return (getattr(file, "name", "") or "document").rsplit("/", 1)[-1][:255]


def _documents_checked(documents: Iterable[DocumentUpload]) -> list[DocumentUpload]:
    """Every upload judged before anything is written: all the rejected files named in one error."""
    documents = list(documents)
    problems = []
    for upload in documents:
        try:
            document_validate(filename=_upload_name(upload.file), size=upload.file.size)
        except ValidationError as error:
            problems.extend(error.message_dict["file"])
    if problems:
        raise ValidationError({"file": problems})
    return documents


def _document_store(*, actor, program: Program, title: str, file) -> Document:
    """Write one document of a program the caller has locked and may edit: its file, then its row."""
    filename = _upload_name(file)
    content_type = document_validate(filename=filename, size=file.size)
    document = Document(
        program=program,
        title=title or filename,
        filename=filename,
        content_type=content_type,
        size=file.size,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.file.save(filename, file, save=False)
    try:
        document.full_clean()
        document.save()
    except Exception:
        document.file.delete(save=False)  # nothing half-done: no orphan file
        raise
    return document


def _documents_attach(*, actor, program: Program, documents: list[DocumentUpload]) -> list[Document]:
    """The last step of a program's write, so that nothing after it can roll the rows back and leave their files
    behind; a failure here removes the files it already stored before the transaction rolls back."""
    stored = []
    try:
        for upload in documents:
            stored.append(_document_store(actor=actor, program=program, title=upload.title, file=upload.file))
    except Exception:
        for document in stored:
            document.file.delete(save=False)
        raise
    return stored


@transaction.atomic
def document_create(*, actor, program: Program, title: str, file) -> Document:
    program = lock_for_update(
        program, actor=actor, allowed=policies.can_edit, message=_("You may not add documents to this program.")
    )
    return _document_store(actor=actor, program=program, title=title, file=file)


@transaction.atomic
def document_delete(*, actor, document: Document) -> None:
    # A document's rule reads its program (its organization): that row is locked too.
    document = lock_for_update(
        document,
        actor=actor,
        allowed=policies.can_delete,
        message=_("You may not delete this document."),
        related=("program",),
    )
    _files_delete_on_commit([document])
    document.delete()
