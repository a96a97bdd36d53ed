"""Following participation from outside the portal: the latest report-backs as an Atom feed, and the upcoming
meetings as an iCalendar feed that staff subscribe to in Outlook or another calendar. Both carry the public
fields only (a feed reader or calendar cannot log in), so internal preparation notes never leave the portal."""

import datetime

import icalendar
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
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
        # Atom1Feed always marks the summary type="html", so a reader renders it: what staff typed is escaped
        # and gets the same paragraphs and line breaks as on the portal's page (the template's |linebreaks).
        # The title needs nothing: without a type it is plain text to every reader (RFC 4287 3.1).
        return linebreaks(item.referat, autoescape=True)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.reported_at

    def item_updateddate(self, item):
        return item.updated_at


siste_rapporter_atom = public(SisteRapporterFeed())


def upcoming_ical(*, today: datetime.date, base_url: str) -> str:
    """The upcoming meetings as all-day events. The icalendar package writes the RFC 5545 text: it escapes
    every way staff can end a line (a lone CR included) and folds long lines without splitting a UTF-8
    character, so nothing typed can end a property early and inject one of its own."""
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//Trøndelag fylkeskommune//Handlingsprogram-portalen//NB")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", str(CALENDAR_NAME))
    for item in selectors.deltagelser_upcoming(today=today):
        event = icalendar.Event()
        event.add("uid", f"deltagelse-{item.pk}@handlingsprogram")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start)
        event.add("dtend", item.last_day + datetime.timedelta(days=1))  # DTEND of an all-day event is exclusive
        event.add("summary", f"{item.nettverk.kortnavn or item.nettverk.navn}: {item.tittel}")
        event.add("location", item.sted)
        event.add("description", item.formaal)
        event.add("url", f"{base_url}{item.get_absolute_url()}")
        event.add("last-modified", item.updated_at.astimezone(datetime.UTC).replace(microsecond=0))
        calendar.add_component(event)
    return calendar.to_ical().decode()


@public
def kommende_ical(request):
    body = upcoming_ical(today=timezone.localdate(), base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="internasjonale-moeter.ics"'
    return response
