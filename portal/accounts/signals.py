"""What the accounts services announce, for the apps that keep credentials (API tokens, sessions)."""

from django.dispatch import Signal

# Sent with `user` and `reason` ("password_changed", "password_reset", "deactivated", "role_changed",
# "revoked_by_user", "revoked_by_admin") when every credential the user holds must stop working.
credentials_revoked = Signal()
