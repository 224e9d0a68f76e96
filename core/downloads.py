"""The one way a stored file (attachment, export, PDF) reaches a person: streamed by the portal.

A view calls `stored_file_response` (or `spreadsheet_response`, for a sheet written on the spot) only after its
access check. The file is read through the media
storage, local disk or private bucket alike, so no file is ever served by address, and nothing the
person receives can be cached by a proxy for someone else.
"""

import contextlib
import tempfile
from collections.abc import Callable
from typing import BinaryIO

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from .spreadsheets import XLSX_CONTENT_TYPE


def stored_file_response(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """Stream a stored file as a download named `filename`; 404 when the row has no file or it is gone."""
    if not file or not file.name:
        raise Http404
    try:
        handle = file.storage.open(file.name, "rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    if response.get("Content-Length") is None:
        with contextlib.suppress(Exception):  # the size is a courtesy to the browser's progress bar
            response["Content-Length"] = str(file.storage.size(file.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def spreadsheet_response(write: Callable[[BinaryIO], object], *, filename: str) -> FileResponse:
    """Send the XLSX that `write(handle)` writes into a temporary file, as a download named `filename`."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    try:
        write(handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
