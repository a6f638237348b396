"""The contacts app's submission kind, as the generic pages (`confidentiality.views`) and API serve it."""

from django.utils.translation import gettext_lazy

from confidentiality.kinds import SubmissionKind
from contacts import selectors, services
from contacts.models import PointOfContact

CONTACT = SubmissionKind(
    model=PointOfContact,
    record_name="contact",
    name_field="person",
    selectors=selectors,
    services=services,
    text_overrides={
        "plural": gettext_lazy("Contacts"),
        "created": gettext_lazy("The point of contact “%(name)s” was recorded."),
        "create_refused": gettext_lazy("Only focal points and administrators designate points of contact."),
        "form_lead": gettext_lazy(
            "That the role is designated, and since when, becomes public once submitted; "
            "you decide below who may see the details."
        ),
        "audience_heading": gettext_lazy("Audience of the details"),
        "preview_title": gettext_lazy("Who will be able to see the details once submitted"),
        "preview_note": gettext_lazy(
            "Nothing has been saved yet. Everyone will see that the role is designated, never the details."
        ),
        "preview_hint": gettext_lazy(
            "Press “Preview audience” to check who will be able to see the details before you save. "
            "Nothing is saved by the preview."
        ),
        "draft_note": gettext_lazy(
            "A draft is seen by your organization only and designates no one. Submitting designates the contact "
            "and sends the details to the Committee and the audience chosen above."
        ),
        "preview_title_submitted": gettext_lazy("Who will be able to see the details once you save"),
        "preview_note_submitted": gettext_lazy(
            "Nothing has been saved yet. Everyone sees that the role is designated, never the details."
        ),
        "reach_heading": gettext_lazy("Who can see the details now"),
        "unchanged": gettext_lazy("The audience has not changed since the contact was recorded."),
    },
)
