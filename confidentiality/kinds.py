"""What a kind of submission is, for the generic pages and API that serve every kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from django.urls import reverse
from django.utils.module_loading import autodiscover_modules
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from confidentiality.models import Submission
from confidentiality.services import submission_submit, submission_withdraw

# What the pages and messages of a kind say, in Django admin's way: whole sentences naming the kind by its
# verbose name (`%(kind)s`, `%(kinds)s`) and the record by its name (`%(name)s`). A kind overrides the sentences
# its meaning needs (a point of contact's audience is that of its details); translators see each sentence once.
DEFAULT_TEXTS = {
    "new": gettext_lazy("New %(kind)s"),
    "edit": gettext_lazy("Edit %(kind)s"),
    "delete": gettext_lazy("Delete %(kind)s"),
    "delete_question": gettext_lazy("Delete this %(kind)s?"),
    "created": gettext_lazy("The %(kind)s “%(name)s” was created."),
    "saved": gettext_lazy("The %(kind)s “%(name)s” was saved."),
    "deleted": gettext_lazy("The %(kind)s “%(name)s” was deleted."),
    "submitted": gettext_lazy("The %(kind)s was submitted."),
    "withdrawn": gettext_lazy(
        "The %(kind)s “%(name)s” was withdrawn to draft: only your organization and administrators see it now."
    ),
    "withdraw": gettext_lazy("Withdraw to draft"),
    "withdraw_question": gettext_lazy("Withdraw this %(kind)s to draft?"),
    "withdraw_lead": gettext_lazy(
        "A draft is seen by its organization and administrators only. Those below will no longer see "
        "“%(name)s” until it is submitted again:"
    ),
    "saved_unchanged": gettext_lazy("The %(kind)s “%(name)s” was saved; nothing in it had changed."),
    "create_refused": gettext_lazy("Only focal points and administrators create %(kinds)s."),
    "form_lead": gettext_lazy("You decide below who, besides the Committee, may see it."),
    "audience_heading": gettext_lazy("Audience"),
    "preview_button": gettext_lazy("Preview audience"),
    "preview_title": gettext_lazy("Who will be able to see this once submitted"),
    "preview_note": gettext_lazy(
        "Nothing has been saved yet. Until it is submitted, only your organization and administrators see it."
    ),
    "preview_hint": gettext_lazy(
        "Press “Preview audience” to check who will be able to see this before you save. "
        "Nothing is saved by the preview."
    ),
    "draft_note": gettext_lazy(
        "A draft is seen by your organization only. "
        "Submitting sends it to the Committee and to the audience chosen above."
    ),
    "preview_title_submitted": gettext_lazy("Who will be able to see this once you save"),
    "preview_note_submitted": gettext_lazy(
        "Nothing has been saved yet: until you save, the people who see it now keep seeing it."
    ),
    "narrow_question": gettext_lazy("Take this %(kind)s away from some of the people who see it?"),
    "narrow_lead": gettext_lazy("Once saved, “%(name)s” will no longer be visible to:"),
    "delete_lead": gettext_lazy("Besides your organization, these see “%(name)s” now and will lose it:"),
    "reach_heading": gettext_lazy("Who can see it now"),
    "unchanged": gettext_lazy("The audience has not changed since the %(kind)s was created."),
}


class _KindTexts:
    """`kind.texts.<key>` in templates and views: the sentence in the current language, names filled in."""

    def __init__(self, kind: SubmissionKind):
        self._kind = kind

    def __getattr__(self, key: str) -> str:
        meta = self._kind.model._meta
        if key == "plural":
            return self._kind.text_overrides.get("plural") or capfirst(meta.verbose_name_plural)
        sentence = self._kind.text_overrides.get(key) or DEFAULT_TEXTS[key]
        # `%(name)s` stays for the caller that knows the record.
        return str(sentence) % {"kind": meta.verbose_name, "kinds": meta.verbose_name_plural, "name": "%(name)s"}


@dataclass(frozen=True)
class SubmissionKind:
    """One kind of submission (programs, points of contact) as the generic pages and API need it.

    Everything else follows from the app's conventions (STYLE.md): its URL namespace is its app label
    (`programs:detail`, …), its templates are `<app>/<record>_detail.html` and `<app>/<record>_form.html`, and
    its selector and services are named `<record>_get_for(*, actor, <record>_id)`, `<record>_create(*, actor,
    organization, **fields)`, `<record>_update(*, actor, <record>, **fields)` and `<record>_delete(*, actor,
    <record>)`.
    """

    model: type[Submission]
    record_name: str  # "program": the record's name in templates, selectors and services
    name_field: str  # the field that names a record to people ("title", "person")
    selectors: ModuleType
    services: ModuleType
    text_overrides: dict[str, str] = field(default_factory=dict)  # keys of DEFAULT_TEXTS, or "plural"
    # Fields whose value reads with another field's in the history ("budget": "currency" → "12,000 EUR").
    history_units: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        _kinds[self.model] = self

    @property
    def namespace(self) -> str:
        return self.model._meta.app_label

    @property
    def get(self) -> Callable:
        return getattr(self.selectors, f"{self.record_name}_get_for")

    @property
    def create(self) -> Callable:
        return getattr(self.services, f"{self.record_name}_create")

    @property
    def update(self) -> Callable:
        return getattr(self.services, f"{self.record_name}_update")

    @property
    def delete(self) -> Callable:
        return getattr(self.services, f"{self.record_name}_delete")

    def submit(self, *, actor, record: Submission) -> Submission:
        """Submit through the kind's own `<record>_submit(*, actor, <record>)` when it has more to do (a point of
        contact answers demarches), else through the sharing service."""
        return self._state_change("submit", submission_submit, actor=actor, record=record)

    def withdraw(self, *, actor, record: Submission) -> Submission:
        return self._state_change("withdraw", submission_withdraw, actor=actor, record=record)

    def _state_change(self, change: str, default: Callable, *, actor, record: Submission) -> Submission:
        own = getattr(self.services, f"{self.record_name}_{change}", None)
        if own is None:
            return default(actor=actor, record=record)
        return own(actor=actor, **{self.record_name: record})

    def template(self, page: str) -> str:
        return f"{self.namespace}/{self.record_name}_{page}.html"

    @property
    def texts(self) -> _KindTexts:
        return _KindTexts(self)

    def url(self, action: str, record=None) -> str:
        return reverse(f"{self.namespace}:{action}", args=[record.pk] if record is not None else [])

    def name_of(self, record) -> str:
        return str(getattr(record, self.name_field))


# --- which kind a model is ----------------------------------------------------------------------------------

_kinds: dict[type[Submission], SubmissionKind] = {}


def kind_for(model) -> SubmissionKind | None:
    """The kind declared for `model` (or a record's model), None for a model that is no submission kind.

    Each app declares its kinds in its `kinds` module (programs/kinds.py, contacts/kinds.py); like the admin's
    autodiscovery, the first question imports every app's `kinds` module, so callers in lower layers
    (notifications) name records the way their pages do without importing the apps.
    """
    _discover_kinds()
    model = model if isinstance(model, type) else type(model)
    return _kinds.get(model._meta.concrete_model)


def _discover_kinds() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("kinds")
        _discovered = True


_discovered = False
