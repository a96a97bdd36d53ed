"""Following participation from outside the portal: the latest report-backs as an Atom feed, and the upcoming
meetings as an iCalendar feed that staff subscribe to in Outlook or another calendar. Both carry the public
fields only (a feed reader or calendar cannot log in), so internal preparation notes never leave the portal."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy

from handlingsprogram.permissions import public

from . import selectors

CALENDAR_NAME = gettext_lazy("Upcoming international meetings")


class SisteRapporterFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Latest from international arenas")
    subtitle = gettext_lazy("Report-backs from meetings in the networks where Trøndelag takes part.")

    def link(self):
        return reverse("nettverk:deltagelser_siste")

    def items(self):
        return selectors.deltagelser_recently_reported()

    def item_title(self, item):
        return f"{item.nettverk.kortnavn or item.nettverk.navn}: {item.tittel}"

    def item_description(self, item):
        return item.referat

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.rapportert_at

    def item_updateddate(self, item):
        return item.updated_at


siste_rapporter_atom = public(SisteRapporterFeed())


def _escape(text: str) -> str:
    """RFC 5545 text: backslash, semicolon, comma and newlines escaped."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 3.1), never inside a UTF-8 character."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def upcoming_ical(*, today: datetime.date, base_url: str) -> str:
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Trøndelag fylkeskommune//Handlingsprogram-portalen//NB",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(str(CALENDAR_NAME))}",
    ]
    for item in selectors.deltagelser_upcoming(today=today):
        end = item.last_day + datetime.timedelta(days=1)  # DTEND of an all-day event is exclusive
        lines += [
            "BEGIN:VEVENT",
            f"UID:deltagelse-{item.pk}@handlingsprogram",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{end:%Y%m%d}",
            f"SUMMARY:{_escape(f'{item.nettverk.kortnavn or item.nettverk.navn}: {item.tittel}')}",
            f"LOCATION:{_escape(item.sted)}",
            f"DESCRIPTION:{_escape(item.formaal)}",
            f"URL:{base_url}{item.get_absolute_url()}",
            f"LAST-MODIFIED:{item.updated_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


@public
def kommende_ical(request):
    body = upcoming_ical(today=timezone.localdate(), base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="internasjonale-moeter.ics"'
    return response
