from django import forms
from django.utils.translation import gettext_lazy as _

from portal.kernel.forms import ServiceErrorsMixin


class TwoFactorCodeForm(ServiceErrorsMixin, forms.Form):
    """One code: from the authenticator app, or at sign-in a backup code; `services` judges it."""

    code = forms.CharField(label=_("Code"), max_length=32)

    def __init__(self, *args, backup_codes_accepted: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = (
            _("The six digits the app shows, or one of your backup codes: each works once.")
            if backup_codes_accepted
            else _("Six digits; the app shows a new code every 30 seconds.")
        )
