"""One way to answer with a file: every download and export goes through `attachment_response`.

A served file is never rendered as a page of the portal: it is always an attachment, its type is not sniffed,
no shared cache keeps it (it may be confidential), and a browser that opens it anyway runs it in a sandbox with
nothing allowed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import BinaryIO
from urllib.parse import quote

from django.core.files import File
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from portal.kernel import tabular

DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}
FALLBACK_NAME = "download"


def attachment_response(
    content: bytes | str | Iterable[str] | BinaryIO, *, filename: str, content_type: str
) -> HttpResponse | StreamingHttpResponse:
    """`content` whole (bytes or text), streamed (an iterator of text chunks) or read from an open binary file.

    A file handle is closed by the response once sent.
    """
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
    elif hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    for header, value in DOWNLOAD_HEADERS.items():
        response[header] = value
    return response


def stored_file_response(file: File, *, filename: str, content_type: str) -> StreamingHttpResponse:
    """A file kept in storage (a `FileField`'s value), streamed as an attachment.

    A file the storage has lost, or a field that holds none, answers 404 as a hidden record does.
    """
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return attachment_response(handle, filename=filename, content_type=content_type)


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII `filename` every client reads and, when that lost anything, the exact name as
    RFC 5987 `filename*` (RFC 6266 §4.3). Django's `content_disposition_header` gives one form or the other, never
    both, so a client that ignores `filename*` would get no name at all.

    Control and formatting characters are dropped (a right-to-left override could disguise `exe.pdf`), path
    separators and quotes replaced, so the name can neither break the header nor point into a folder.
    """
    name = "".join(
        "_" if character in '/\\"' else character
        for character in filename
        if not unicodedata.category(character).startswith("C")
    ).strip()
    fallback = _ascii_fallback(name)
    if not name or name == fallback:
        return f'attachment; filename="{fallback}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _ascii_fallback(name: str) -> str:
    # Accents fall back to their base letter; a "%" could be percent-decoded by some clients (RFC 6266 appendix D).
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").replace("%", "_")
    ascii_name = ascii_name.strip()
    if not ascii_name or ascii_name.startswith("."):
        # Nothing but the extension survived (a name in another script): keep the extension under a neutral name.
        return FALLBACK_NAME + ascii_name
    return ascii_name


def spreadsheet_response(*sheets: tabular.Sheet, extension: str, stem: str):
    """Sheets as a download named `<stem>-<today>.<extension>`: one sheet as CSV (streamed), or an XLSX workbook."""
    filename = f"{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"
    if extension == "csv":
        (sheet,) = sheets
        return attachment_response(tabular.csv_lines(sheet), filename=filename, content_type=tabular.CSV_CONTENT_TYPE)
    return attachment_response(tabular.xlsx_bytes(*sheets), filename=filename, content_type=tabular.XLSX_CONTENT_TYPE)
