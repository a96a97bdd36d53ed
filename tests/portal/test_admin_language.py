"""Every admin page reads in bokmål, the pages third-party apps add (django-axes, django-tasks, simple_history,
allauth) included: a superuser walks every app index, changelist, add, change and history page and no known
English word or phrase may be left in what the page shows (text, button values, titles and labels)."""

import contextlib
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from handlingsprogram.models import User

# English that Django's admin or an app's models show when a translation is missing. Whole words, case-sensitive
# where the case tells English from a Norwegian word spelt alike ("Status", "Filter" and "Start" are bokmål too).
ENGLISH = [
    "Access attempt",
    "Access attempts",
    "Access failure",
    "Access log",
    "Task",
    "Tasks",
    "Task Result",
    "Result",
    "Results",
    "Add",
    "Add another",
    "Change",
    "history",
    "History",
    "Select",
    "Save",
    "Delete",
    "Search",
    "Action",
    "Home",
    "View site",
    "Log out",
    "Recent actions",
    "Site administration",
    "Authentication",
    "Email address",
    "Email addresses",
    "Social account",
    "Social accounts",
    "Social application",
    "Social applications",
    "Social application token",
    "Social application tokens",
    "Groups",
    "Permissions",
    "Username",
    "Password",
    "Yes",
    "Unknown",
    "Queue",
    "Priority",
    "Enqueued",
    "Backend",
    "User agent",
    "Failures",
    "Attempt time",
    "Login time",
    "Logout time",
    "Show counts",
    "Clear all filters",
    "By ",
    "Date/time",
    "Object",
    "Changed by",
    "Change reason",
    "Revert",
    "Comment",
    "Run after",
    "Started at",
    "Finished at",
    "Return value",
    "Exception",
    "Verified",
    "Primary",
    "Provider",
    "Client id",
    "Secret key",
    "Sites",
    "Can",
    "Attempted",
    "Access Log",
    "object",
    "Ready",
    "Running",
    "Successful",
    "Failed",
    "Name",
    "Description",
    "Created",
    "Updated",
]
_PATTERN = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w.strip()) for w in ENGLISH) + r")(?![\w-])")


class _VisibleText(HTMLParser):
    """What a reader meets: text outside <script>/<style>, plus the values of buttons and the titles, labels and
    placeholders of elements."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name in ("title", "aria-label", "placeholder", "alt"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def english_in(html: str) -> list[str]:
    """Each English word found, with the text it was found in."""
    parser = _VisibleText()
    parser.feed(html)
    return sorted({f"{match!r} in {part[:80]!r}" for part in parser.parts for match in _PATTERN.findall(part)})


def admin_pages(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        app_index = reverse("admin:app_list", kwargs={"app_label": opts.app_label})
        if app_index not in urls:
            urls.append(app_index)
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        urls.append(reverse(f"{prefix}_changelist"))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"{prefix}_add"))
        obj = model.objects.order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"{prefix}_change", args=[obj.pk]))
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(f"{prefix}_history", args=[obj.pk]))
    return urls


@pytest.fixture
def superuser(make_user, enhet_utdanning) -> User:
    return make_user("superbruker", User.Rolle.KOORDINATOR, enhet_utdanning, is_staff=True, is_superuser=True)


@pytest.fixture
def some_rows(superuser, statusmelding, client, settings, tmp_path):
    """One row in the third-party apps' tables too, so that their change and history pages are walked: a login
    attempt (django-axes) and a finished task (django-tasks' database backend)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult

    AccessAttempt.objects.create(username="noen", ip_address="127.0.0.1", user_agent="test", failures_since_start=1)
    AccessFailureLog.objects.create(username="noen", ip_address="127.0.0.1", user_agent="test")
    AccessLog.objects.create(username="superbruker", ip_address="127.0.0.1", user_agent="test")
    DBTaskResult.objects.create(
        task_path="rapportering.tasks.generate_pdf", args_kwargs={"args": [1], "kwargs": {}}, backend_name="default"
    )
    # The follow-up's records: a round, a request, a comment and a status report's document, each with history.
    import datetime

    from django.core.files.base import ContentFile

    from handlingsprogram.kommentar_services import kommentar_add
    from tiltak import oppfoelging_services
    from tiltak.models import StatusmeldingVedlegg

    settings.MEDIA_ROOT = tmp_path / "media"
    programme = statusmelding.tiltak.innsatsomraade.omraade.handlingsprogram
    oppfoelging_services.runde_open(
        user=superuser,
        handlingsprogram=programme,
        navn="Årsrapport 2022",
        aar=2022,
        frist=datetime.date(2023, 1, 15),
        today=datetime.date(2022, 11, 1),
    )
    oppfoelging_services.forespoersel_create(tiltak=statusmelding.tiltak, user=superuser, melding="Status?")
    kommentar_add(user=superuser, target=statusmelding, tekst="Hvilke skoler?")
    vedlegg = StatusmeldingVedlegg(
        statusmelding=statusmelding, navn="a.pdf", type="pdf", stoerrelse=4, uploaded_by=superuser
    )
    vedlegg.fil.save("a.pdf", ContentFile(b"%PDF"), save=False)
    vedlegg.save()


def test_every_admin_page_reads_in_bokmaal(client, superuser, programme, some_rows):
    client.force_login(superuser)
    found = {}
    pages = admin_pages(superuser)
    assert len(pages) > 40  # every model's pages, not just the index
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        if words := english_in(response.content.decode()):
            found[url] = words
    examples = {}  # one text for each word, so that the message stays readable
    for words in found.values():
        for word in words:
            examples.setdefault(word.split(" in ", 1)[0], word)
    first = next(iter(found), None)
    assert not found, f"English on {len(found)} admin pages (first {first}): {sorted(examples.values())}"


def test_the_check_finds_english(client, superuser, programme, some_rows):
    """The same walk in English finds English words on every kind of page: the check can fail."""
    client.force_login(superuser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in (
        reverse("admin:index"),
        reverse("admin:axes_accessattempt_changelist"),
        reverse("admin:tiltak_tiltak_add"),
    ):
        assert english_in(client.get(url).content.decode()), url


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("admin:tiltak_tiltak_add", "Legg til tiltak"),
        ("admin:tiltak_tiltak_changelist", "Legg til tiltak"),
        ("admin:axes_accessattempt_changelist", "Innloggingsforsøk"),
    ],
)
def test_admin_grammar(client, superuser, programme, url_name, expected):
    """ "Legg til ny tiltak" (Django's bokmål, wrong for a neuter noun) reads "Legg til tiltak"."""
    client.force_login(superuser)
    html = client.get(reverse(url_name)).content.decode()
    assert expected in html
    assert "Legg til ny " not in html


def _admin_js_catalog(client) -> dict:
    """The admin's JavaScript catalogue (jsi18n): the strings its calendar, clock, select boxes and actions show."""
    import json

    body = client.get(reverse("admin:jsi18n")).content.decode()
    found = re.search(r"const newcatalog = (\{.*?\});", body, re.S)  # none at all when nothing is translated
    return json.loads(found[1]) if found else {}


def test_the_admins_javascript_reads_in_bokmaal(client, superuser):
    """Django's own bokmål for the admin's JavaScript (Show/Hide, Now, Today), and the portal's
    locale/nb/LC_MESSAGES/djangojs.po for the strings Django's catalogue lacks (the select boxes, the calendar's
    weekdays and buttons)."""
    client.force_login(superuser)
    catalog = _admin_js_catalog(client)
    assert catalog["Show"] == "Vis" and catalog["Hide"] == "Skjul"  # Django's
    assert catalog["Now"] == "Nå" and catalog["Today"] == "I dag" and catalog["Choose a Time"] == "Velg et klokkeslett"
    assert catalog["Choose all %s"] == "Velg alle %s"  # the portal's
    assert catalog["Today (%(date)s)"] == "I dag (%(date)s)"
    assert catalog["abbrev. day Monday\x04Mon"] == "man"
    assert catalog["%s selected option not visible"] == [
        "%s valgt alternativ vises ikke",
        "%s valgte alternativer vises ikke",
    ]


def test_the_admins_javascript_in_english_has_no_catalogue_entries_of_ours(client, superuser):
    """In English the msgids are the text: the catalogue holds none of the bokmål above (no catalogue at all)."""
    client.force_login(superuser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    catalog = _admin_js_catalog(client)
    assert "Vis" not in catalog.values() and "Velg alle %s" not in catalog.values()
