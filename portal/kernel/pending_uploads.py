"""A file uploaded for a preview, kept on the server until its user confirms it, and taken back once by a token.

The preview step stores the upload in the private default storage (the documents' storage, never served) under
a random name and keeps a one-time token in the user's session; the confirm step gets the file back only from
the same session, with that token, and once. The browser never holds the parsed rows, so what is written is
exactly what was previewed; a new preview replaces the previous one.
"""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

FOLDER = "pending-uploads"


def _session_key(slot: str) -> str:
    return f"pending_upload:{slot}"


def upload_keep(request, *, slot: str, file, **details) -> str:
    """Keep `file` for `slot` ("programs-import"); the token to confirm with. `details`: JSON-ready values."""
    upload_discard(request, slot=slot)
    token = secrets.token_urlsafe(32)
    file.seek(0)
    stored = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}", file)
    request.session[_session_key(slot)] = {"token": token, "stored": stored, "filename": file.name, **details}
    return token


def upload_take(request, *, slot: str, token: str) -> tuple[ContentFile, dict] | None:
    """The kept file (named as uploaded) and its details, once; None for a wrong, used or expired token."""
    entry = request.session.get(_session_key(slot))
    if not entry or not secrets.compare_digest(entry["token"], token or ""):
        return None
    del request.session[_session_key(slot)]
    try:
        with default_storage.open(entry["stored"], "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return None
    default_storage.delete(entry["stored"])
    return ContentFile(content, name=entry["filename"]), entry


def upload_discard(request, *, slot: str) -> None:
    entry = request.session.pop(_session_key(slot), None)
    if entry:
        default_storage.delete(entry["stored"])
