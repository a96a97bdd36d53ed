"""What an uploaded document really is, from its bytes, never from its name or the browser's content type.

PDF and images by their signatures; DOCX, XLSX and PPTX are ZIP packages (Office Open XML) recognised by the parts
every such file has. Anything else (HTML, scripts, executables, other ZIP files, a PDF named .docx) is refused."""

import zipfile

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
