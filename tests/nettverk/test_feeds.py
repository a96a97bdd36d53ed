"""The public feeds carry what staff typed to readers and calendars the portal does not control: the Atom feed
must never let that text become HTML in a feed reader, and the iCalendar feed must never let it break out of its
content line (an injected property or event). Every test reads the real feed output back the way a reader would."""

import datetime
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from nettverk import services
from nettverk.models import Deltagelse, Nettverk

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ATOM = "{http://www.w3.org/2005/Atom}"

# What the security probe got through to feed readers: a tracking beacon, a phishing link, a script, an event
# handler and a javascript: link.
HTML_PAYLOADS = [
    "<img src=http://evil/beacon>",
    '<a href="http://phish">Logg inn på nytt</a>',
    "<script>alert(1)</script>",
    "<b onerror=alert(1)>fet</b>",
    '<a href="javascript:alert(1)">klikk</a>',
]


@pytest.fixture
def transport(programme):
    nettverk = Nettverk.objects.get(slug="nsc-transport")
    # A network's names are typed by staff in the admin and reach both feeds too.
    Nettverk.objects.filter(pk=nettverk.pk).update(kortnavn="<i>NSC</i> & co")
    nettverk.refresh_from_db()
    return nettverk


class FeedReaderHtml(HTMLParser):
    """What a feed reader makes of a type="html" summary: the elements it would render and the text it shows."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list]] = []
        self.text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        if tag == "br":
            self.text.append("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)


def test_the_atom_feed_shows_staff_text_as_text_never_as_html(client, transport, saksbehandler):
    typed_title = " ".join(HTML_PAYLOADS)
    # Lines and paragraphs as typed in the report-back form (browsers send CRLF).
    typed_referat = "\r\n".join(HTML_PAYLOADS) + "\r\n\r\nNeste avsnitt: 3 < 4 & «sitat»."
    deltagelse = services.deltagelse_create(
        user=saksbehandler,
        data={
            "nettverk": transport,
            "tittel": typed_title,
            "type": Deltagelse.Type.MOETE,
            "start": TODAY - datetime.timedelta(days=10),
            "sted": "<img src=http://evil/sted>",
            "nivaa": "administrativ",
            "formaal": "<script>alert('formål')</script>",
            "forberedelser": "Notat",
            "referat": typed_referat,
            "deling": "Delt med IN",
        },
    )
    services.deltagelse_set_status(deltagelse=deltagelse, user=saksbehandler, status="rapportert")

    response = client.get(reverse("nettverk:deltagelser_atom"))
    assert response.status_code == 200
    (entry,) = ET.fromstring(response.content).findall(f"{ATOM}entry")

    # A title without type="html" is plain text to every Atom reader (RFC 4287 3.1), so it is carried as typed.
    title = entry.find(f"{ATOM}title")
    assert title.get("type", "text") == "text"
    assert title.text == f"<i>NSC</i> & co: {typed_title}"

    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    rendered = FeedReaderHtml(summary.text)
    # Only the paragraphs and line breaks the portal's own page shows, and not one attribute.
    assert {tag for tag, _ in rendered.elements} <= {"p", "br"}
    assert all(attrs == [] for _, attrs in rendered.elements)
    assert "".join(rendered.text) == typed_referat.replace("\r\n", "\n")
    # No other element carries what staff typed (the place and purpose stay on the portal's page).
    for element in entry.iter():
        if element not in (title, summary):
            assert "evil" not in (element.text or "") and "alert" not in (element.text or "")
            assert not any("evil" in value or "alert" in value for value in element.attrib.values())


def ical_events(body: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def assert_content_lines_are_sound(body: bytes):
    """RFC 5545 3.1: every content line ends in CRLF, carries no other CR or LF, and is at most 75 octets."""
    assert body.endswith(b"\r\n")
    for line in body[: -len(b"\r\n")].split(b"\r\n"):
        assert b"\r" not in line and b"\n" not in line, line
        assert len(line) <= 75, line


def test_the_icalendar_feed_escapes_and_folds_what_staff_typed(client, transport, saksbehandler):
    # Every way to end a line, RFC 5545's special characters, and an attempt to smuggle in a second event.
    tricky = "CR\rLF\nCRLF\r\nsemikolon; komma, bakstrek \\ slutt\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:injisert"
    long_multibyte = "Møte i Brüssel om grønn skipsfart – ÆØÅ æøå 🚢 " * 12
    deltagelse = services.deltagelse_create(
        user=saksbehandler,
        data={
            "nettverk": transport,
            "tittel": tricky[:200],
            "type": Deltagelse.Type.MOETE,
            "start": TODAY + datetime.timedelta(days=3),
            "end": TODAY + datetime.timedelta(days=4),
            "sted": "Rue de l'Industrie 4\r\nBrussel; Belgia, 🇧🇪",
            "nivaa": "politisk",
            "formaal": f"{tricky}\n{long_multibyte}\n" + "\n".join(HTML_PAYLOADS),
        },
    )

    response = client.get(reverse("nettverk:deltagelser_ical"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert_content_lines_are_sound(body)

    (event,) = ical_events(body)  # the smuggled END:VEVENT/BEGIN:VEVENT stayed text

    def as_stored(text: str) -> str:
        # RFC 5545 TEXT has one line break (\n); a CR, alone or before LF, can only come back as that.
        return text.replace("\r\n", "\n").replace("\r", "\n")

    assert str(event["SUMMARY"]) == as_stored(f"<i>NSC</i> & co: {deltagelse.tittel}")
    assert str(event["LOCATION"]) == as_stored(deltagelse.sted)
    # The HTML payloads are plain TEXT in a calendar; no HTML alternative (X-ALT-DESC) is offered to render them.
    assert str(event["DESCRIPTION"]) == as_stored(deltagelse.formaal)
    assert b"X-ALT-DESC" not in body and b"FMTTYPE" not in body
    # What the feed always said about each meeting is still there.
    assert str(event["UID"]) == f"deltagelse-{deltagelse.pk}@handlingsprogram"
    assert event.decoded("DTSTART") == TODAY + datetime.timedelta(days=3)
    assert event.decoded("DTEND") == TODAY + datetime.timedelta(days=5)  # exclusive end of an all-day event
    assert str(event["URL"]) == f"http://testserver{deltagelse.get_absolute_url()}"
    assert event.decoded("DTSTAMP").tzinfo is not None
    deltagelse.refresh_from_db()
    assert event.decoded("LAST-MODIFIED") == deltagelse.updated_at.replace(microsecond=0)
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "Kommende internasjonale møter"
    assert str(calendar["VERSION"]) == "2.0"
