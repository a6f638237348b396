"""The security log as an export sheet: the rows the view hands in (already through the policy and the filter).

`portal.kernel.tabular` writes it as CSV or XLSX and neutralises formulas (a username is whatever was typed).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.kernel.tabular import Sheet
from portal.security.models import SecurityEvent

CHUNK_SIZE = 1000


def _rows(events: Iterable[SecurityEvent]) -> Iterator[list]:
    for event in events:
        yield [
            # Spreadsheets know no time zones: the portal's local wall-clock time.
            timezone.localtime(event.at).replace(tzinfo=None, microsecond=0),
            event.get_kind_display(),
            event.username,
            event.user.get_username() if event.user else "",
            event.actor.get_username() if event.actor else "",
            event.ip_address or "",
            event.user_agent,
            json.dumps(event.details, sort_keys=True, ensure_ascii=False) if event.details else "",
        ]


def security_log_sheet(events) -> Sheet:
    header = [_("At"), _("Event"), _("Username"), _("Account"), _("By"), _("IP address"), _("Browser"), _("Details")]
    return Sheet(title=_("Security log"), header=header, rows=_rows(events.iterator(chunk_size=CHUNK_SIZE)))
