"""What the sharing service announces, for apps above it (notifications) that must act in its transaction.

`confidentiality` imports no app, so it cannot call the notifications outbox itself: the notifications app
connects to this signal in its `AppConfig.ready`. Receivers run inside the sharing change's transaction, so
the rows they write commit or roll back with it.
"""

from django.dispatch import Signal

# Sent with `record`, `newly_visible_group_ids` (set of auth Group ids that gained view access) and
# `newly_submitted` (bool: the record just reached the Committee).
sharing_changed = Signal()
