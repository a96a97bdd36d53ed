"""Request bodies are limited before they are read (security review, issue 20 finding 5): an anonymous 400 MB
POST to the login page was written to a temporary file in full. The limits live in settings, in one place."""

import io
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

MiB = 1024 * 1024
BOUNDARY = "grense"


class StreamedBody(io.RawIOBase):
    """A request body made as the server reads it, the way a client sends one over the network: ``head``, then
    ``size`` bytes of file content never held in memory whole, then ``tail``. Counts how much the server read.
    ``ends_after`` makes the client stop sending there (the rest was declared but never arrives)."""

    def __init__(self, head: bytes, size: int, tail: bytes, *, ends_after: int | None = None):
        self.head, self.size, self.tail = head, size, tail
        self.length = len(head) + size + len(tail)
        self.ends_after = self.length if ends_after is None else ends_after
        self.sent = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        count = min(len(buffer), self.ends_after - self.sent)
        if count <= 0:
            return 0
        start = self.sent
        chunk = bytearray()
        if start < len(self.head):
            chunk += self.head[start : start + count]
        body_start, body_end = len(self.head), len(self.head) + self.size
        lo, hi = max(start, body_start), min(start + count, body_end)
        if lo < hi:
            chunk += b"0" * (hi - lo)
        if start + count > body_end:
            chunk += self.tail[max(start, body_end) - body_end : start + count - body_end]
        buffer[: len(chunk)] = chunk
        self.sent += len(chunk)
        return len(chunk)


def multipart_with_file(fields: dict[str, str], filename: str, size: int, **kwargs) -> StreamedBody:
    head = b""
    for name, value in fields.items():
        head += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    head += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="fil"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    ).encode()
    return StreamedBody(head, size, f"\r\n--{BOUNDARY}--\r\n".encode(), **kwargs)


def post_streamed(client, url: str, body: StreamedBody):
    # The environ is given whole: the test client would otherwise build the body (and its length) itself.
    return client.generic(
        "POST",
        url,
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(body.length),
        **{"wsgi.input": body},
    )


def test_the_limits_are_set_in_one_place_and_agree_with_readme():
    from resultater import prosjekt_import

    assert max(settings.VEDLEGG_MAX_BYTES, settings.PROSJEKT_IMPORT_MAX_BYTES) == settings.UPLOAD_MAX_BYTES
    assert prosjekt_import.MAX_FILE_BYTES == settings.PROSJEKT_IMPORT_MAX_BYTES
    assert settings.REQUEST_BODY_MAX_BYTES >= settings.UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert settings.FILE_UPLOAD_HANDLERS[0] == "portal.request_limits.FileSizeLimitUploadHandler"
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 10
    # README tells operations what the proxy in front should cap bodies at: the same figure (at the default
    # attachment limit of 20 MB, which is what README's example is for).
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    capped = re.search(r"client_max_body_size (\d+)m", readme)
    headroom = settings.REQUEST_BODY_MAX_BYTES - settings.UPLOAD_MAX_BYTES
    assert capped and int(capped.group(1)) * MiB == 20 * MiB + headroom


def test_a_body_declared_larger_than_the_limit_is_refused_before_a_byte_of_it_is_read(client, db):
    """The security review's case: an anonymous 400 MB multipart POST to the login page. It is answered 413 with
    a message in Norwegian from the Content-Length alone; the body is never read."""
    body = multipart_with_file({"username": "koordinator", "password": "x"}, "stor.pdf", 400 * MiB, ends_after=MiB)
    response = post_streamed(client, reverse("konto:login"), body)
    assert response.status_code == 413
    mb = settings.UPLOAD_MAX_BYTES // MiB
    assert response.content.decode() == f"Forespørselen er for stor: høyst {mb} MB kan lastes opp."
    assert body.sent == 0

    # Just under the limit is read as usual (here: the login form, which then refuses the bad password).
    small = multipart_with_file({"username": "koordinator", "password": "x"}, "liten.pdf", 1024)
    assert post_streamed(client, reverse("konto:login"), small).status_code == 200
    assert small.sent == small.length
