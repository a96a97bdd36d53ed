"""What an uploaded document really is, from its bytes, never from its name or the browser's content type.

PDF and images by their signatures; DOCX, XLSX and PPTX are ZIP packages (Office Open XML) recognised by the parts
every such file has. Anything else (HTML, scripts, executables, other ZIP files, a PDF named .docx) is refused.

Shared by every kind of attachment (deltagelser's and statusmeldinger's): the same check, limit and download."""

import os
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

EXTENSIONS = {
    "pdf": (".pdf",),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
    "pptx": (".pptx",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
_OOXML_MAIN_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}


def detect_type(file) -> str | None:
    """The document type of an open binary file (rewound afterwards), or None for anything not allowed."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png"
        if head.startswith(b"\xff\xd8\xff"):
            return "jpeg"
        if head.startswith(b"PK\x03\x04"):
            try:
                with zipfile.ZipFile(file) as package:
                    names = set(package.namelist())
            except (zipfile.BadZipFile, OSError, ValueError):
                return None
            if "[Content_Types].xml" not in names:
                return None
            found = [kind for part, kind in _OOXML_MAIN_PARTS.items() if part in names]
            return found[0] if len(found) == 1 else None
        return None
    finally:
        file.seek(0)


def extension_matches(name: str, kind: str) -> bool:
    return name.lower().endswith(EXTENSIONS[kind])


class DocumentType(models.TextChoices):
    """The kinds ``detect_type`` recognises, as stored in an attachment's ``type`` column."""

    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    XLSX = "xlsx", "Excel (XLSX)"
    PPTX = "pptx", "PowerPoint (PPTX)"
    PNG = "png", "PNG"
    JPEG = "jpeg", "JPEG"


ACCEPT = ",".join(extension for extensions in EXTENSIONS.values() for extension in extensions)


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed ``check_upload``: the name to show, its kind, and the name to store it under."""

    name: str
    kind: str
    storage_name: str


def check_upload(uploaded, *, field: str = "fil") -> CheckedUpload:
    """Check an uploaded document's size and what its bytes are, before anything is stored; a refused upload raises
    ValidationError (on ``field``) with a message for the person who chose the file."""
    limit = settings.VEDLEGG_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            {field: _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}}, code="too_large"
        )
    kind = detect_type(uploaded)
    if kind is None:
        raise ValidationError(
            {field: _("Only PDF, Word, Excel and PowerPoint files (the .docx, .xlsx and .pptx kinds), PNG and JPEG.")},
            code="type",
        )
    name = get_valid_filename(os.path.basename(uploaded.name or ""))[:150] or f"vedlegg.{kind}"
    if not extension_matches(name, kind):
        raise ValidationError({field: _("The file is not what its name says.")}, code="mismatch")
    # Stored under a generated name: what staff call a file never becomes a path on the server.
    return CheckedUpload(name=name, kind=kind, storage_name=f"{uuid.uuid4().hex}{EXTENSIONS[kind][0]}")


def download_response(fil, *, name: str, kind: str) -> FileResponse:
    """An attachment served as a download with the type its content was checked to be, never inline, and sandboxed
    should a browser render it anyway."""
    response = FileResponse(fil.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[kind])
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
