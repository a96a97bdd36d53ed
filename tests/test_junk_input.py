"""Junk in every form field and query parameter: never a server error, and nothing in the database changes.

Every URL name of the portal (tests/test_url_roles.py's table, with its URLs) is opened by a koordinator, who
reaches every form, and the public ones by an anonymous visitor as well. The forms are read from each page's
HTML (method, action, field names) and sent back with every field set to one junk value at a time: a NUL
character, integers beyond any database column, -1, a 100 000-character string, dates that do not exist, and a
digit that ``str.isdigit`` accepts and ``int`` refuses. Every page is also opened with every query parameter the
portal reads (its GET forms' fields and the parameters views read themselves) set to each junk value, and every
resource of the partner API with each of its own parameters, and the admin's list of every model with its
search, sort order and page. The suite runs on SQLite and on PostgreSQL, which
fail on different junk: PostgreSQL on a NUL, SQLite on an integer beyond 64 bits or a LIKE pattern over 50 000
bytes."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.db.models import Max
from django.urls import get_resolver, resolve, reverse

from tests.test_url_access import walk
from tests.test_url_roles import EXPECTED, PUBLIC, build_url
from tiltak.models import Tiltak

JUNK = {
    "NUL": "ab\x00cd",
    "beyond 64 bits": "99999999999999999999",
    "2**63": str(2**63),
    "-1": "-1",
    "100 000 characters": "x" * 100_000,
    "30 February": "2023-02-30",
    "five-digit year": "99999-01-01",
    "x": "x",
    "superscript two": "\u00b2",  # "²".isdigit() is True, and int("²") raises
}

# Query parameters that views read from request.GET themselves, not through a form on the page.
DIRECT_PARAMETERS = {"nettverk", "maaler", "aar", "korrigerer", "next", "statusmelding"}

# Logging out would end the walk's session; the forms with no field (approve, make the PDF, run the import) have
# nowhere to put junk and are left out as well.
SKIPPED_ACTIONS = {"konto:logout"}

# Forms the walk must find, so that a change in how pages are built cannot make it quietly test nothing.
EXPECTED_FORMS = {
    ("post", "nettverk:deltagelse_create"),
    ("post", "nettverk:deltagelse_edit"),
    ("post", "nettverk:deltagelse_status"),
    ("post", "nettverk:vedlegg_upload"),
    ("post", "tiltak:statusmelding_create"),
    ("post", "tiltak:statusmelding_withdraw"),
    ("post", "tiltak:runde_create"),
    ("post", "tiltak:forespoersel_create"),
    ("post", "portal:kilde_correct"),
    ("post", "resultater:indikator_create"),
    ("post", "resultater:indikator_edit"),
    ("post", "resultater:indikatorverdi_save"),
    ("post", "resultater:prosjekt_create"),
    ("post", "resultater:prosjekt_edit"),
    ("post", "resultater:prosjekt_import"),
    ("post", "resultater:valutakurser"),
    ("post", "rapportering:create"),
    ("post", "rapportering:edit"),
    ("post", "rapportering:reopen"),
    ("post", "konto:login"),
    ("post", "konto:password_change"),
    ("post", "konto:password_reset"),
    ("get", "nettverk:list"),
    ("get", "portal:dashboard"),
    ("get", "tiltak:list"),
    ("get", "resultater:prosjekt_list"),
    ("get", "resultater:finansiering"),
    ("get", "portal:sok"),  # the header's search box, on every page
}

PORTAL_APPS = ("handlingsprogram", "varsler", "tiltak", "resultater", "nettverk", "rapportering")


FIELD_TAGS = ("input", "select", "textarea", "button")


class FormReader(HTMLParser):
    """The forms of a page: method, action and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self._form = {"method": method, "action": attrs.get("action"), "fields": set()}
            self.forms.append(self._form)
        elif tag in FIELD_TAGS and self._form is not None and attrs.get("name") not in (None, "csrfmiddlewaretoken"):
            self._form["fields"].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


Form = tuple[str, str, frozenset[str]]  # method, action path, field names


def forms_on(response, url: str) -> set[Form]:
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return set()
    reader = FormReader()
    reader.feed(response.content.decode())
    return {
        (form["method"], urlsplit(urljoin(url, form["action"] or url)).path, frozenset(form["fields"]))
        for form in reader.forms
    }


def url_name(path: str) -> str:
    match = resolve(path)
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def api_parameter_groups(path: str) -> list[set[str]]:
    """An API resource's parameters, in the groups it checks one after the other: a bad format is refused
    before the filters are read, and the filters before the page."""
    view_class = resolve(path).func.cls
    filterset = getattr(view_class, "filterset_class", None)
    if filterset is None:
        return [{"format"}]
    return [set(filterset.base_filters), {"page", "page_size"}, {"format"}]


def admin_lists() -> list[str]:
    """The admin's list of every model, with its search (``q``), sort order (``o``) and page (``p``)."""
    return sorted(
        reverse(f"admin:{pattern.name}")
        for namespace, pattern in walk(get_resolver().url_patterns)
        if namespace == "admin" and str(pattern.name).endswith("_changelist")
    )


def database_state() -> dict[str, tuple]:
    """Row count and newest change of every model of the portal, its change history included."""
    state = {}
    for label in PORTAL_APPS:
        for model in apps.get_app_config(label).get_models():
            queryset = model._default_manager.all()
            fields = {field.name for field in model._meta.concrete_fields}
            newest = queryset.aggregate(newest=Max("updated_at"))["newest"] if "updated_at" in fields else None
            state[model._meta.label] = (queryset.count(), newest)
    return state


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def site(client, programme, tiltak_212, statusmelding, koordinator):
    """Every URL, and the forms on the pages, as the anonymous visitor and as the koordinator find them."""
    client.raise_request_exception = False  # a server error is a response to report, with the others
    urls = {name: build_url(name, programme, tiltak_212, statusmelding) for name in sorted(EXPECTED)}
    public = [url for name, url in urls.items() if EXPECTED[name] == PUBLIC and not name.startswith("api:")]
    anonymous_forms = set().union(*(forms_on(client.get(url), url) for url in public))
    client.force_login(koordinator)
    pages = [url for name, url in urls.items() if not name.startswith("api:")]
    koordinator_forms = set().union(*(forms_on(client.get(url), url) for url in pages))
    found = {(method, url_name(action)) for method, action, _ in anonymous_forms | koordinator_forms}
    assert found >= EXPECTED_FORMS, EXPECTED_FORMS - found
    client.logout()
    return {
        "urls": urls,
        "public": public,
        "pages": pages,
        "api": [
            url for name, url in urls.items() if name.startswith("api:") and name not in ("api:schema", "api:docs")
        ],
        "anonymous_forms": anonymous_forms - koordinator_forms,
        "koordinator_forms": koordinator_forms,
    }


def check(response, where: str, label: str, failures: list[str]) -> None:
    if response.status_code >= 500:
        failures.append(f"{where} with {label}: {response.status_code}")
    elif label == "NUL" and response.status_code != 400:
        failures.append(f"{where} with {label}: {response.status_code}, not 400")


def post_junk(client, forms: set[Form], failures: list[str]) -> None:
    for method, action, fields in sorted(forms, key=lambda form: (form[1], form[0], sorted(form[2]))):
        if not fields or url_name(action) in SKIPPED_ACTIONS:
            continue
        for label, junk in JUNK.items():
            data = dict.fromkeys(fields, junk)
            where = f"{method.upper()} {action} {sorted(fields)}"
            before = database_state()
            response = client.post(action, data) if method == "post" else client.get(action, data)
            check(response, where, label, failures)
            # Junk that a form took (a reason of "x" for a withdrawal) may be saved, and the answer is a redirect;
            # a form shown again with its errors has saved nothing, not even part of it.
            if response.status_code not in (301, 302, 303) and database_state() != before:
                failures.append(f"{where} with {label}: refused ({response.status_code}), but the database changed")


def get_junk(client, url: str, parameter_groups: list[set[str]], failures: list[str]) -> None:
    for names in parameter_groups:
        for label, junk in JUNK.items():
            check(client.get(url, dict.fromkeys(names, junk)), f"GET {url} {sorted(names)}", label, failures)


def test_junk_in_every_form_field_is_refused_and_saves_nothing(client, site, koordinator):
    failures: list[str] = []
    post_junk(client, site["anonymous_forms"], failures)
    client.force_login(koordinator)
    post_junk(client, site["koordinator_forms"], failures)
    assert not failures, "\n".join(failures)


def test_junk_in_every_query_parameter_is_refused_and_changes_nothing(client, site, koordinator):
    parameters = DIRECT_PARAMETERS.union(
        *(fields for method, _, fields in site["anonymous_forms"] | site["koordinator_forms"] if method == "get")
    )
    assert {"q", "aar", "omraade", "status", "finansieringsprogram"} <= parameters  # the filter forms were found
    failures: list[str] = []
    before = database_state()
    for url in site["public"]:
        get_junk(client, url, [parameters], failures)
    client.force_login(koordinator)
    for url in site["pages"]:
        get_junk(client, url, [parameters], failures)
    for url in site["api"]:
        get_junk(client, url, api_parameter_groups(url), failures)
    for url in admin_lists():
        get_junk(client, url, [{"q", "o", "p"}], failures)
    assert not failures, "\n".join(failures)
    assert database_state() == before


# --- The cases the security probe reported, one by one ----------------------------------------------------------


def test_a_nul_in_a_parameter_gets_400_naming_it(client, koordinator, programme):
    client.force_login(koordinator)
    response = client.get(reverse("nettverk:deltagelse_create"), {"nettverk": "\x00"})
    assert response.status_code == 400
    assert "«nettverk» inneholder et NUL-tegn" in response.content.decode()
    # Django's admin list filters took it to the database as well.
    assert client.get("/admin/handlingsprogram/user/", {"rolle__exact": "\x00"}).status_code == 400
    assert client.post(reverse("resultater:valutakurser"), {"kilde": "Norges\x00Bank"}).status_code == 400


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("nettverk:deltagelse_create", "deltakere"),
        ("nettverk:deltagelse_create", "tiltak"),
        ("resultater:prosjekt_create", "aktoerer"),
        ("resultater:prosjekt_create", "tiltak"),
    ],
)
def test_an_id_beyond_64_bits_is_not_one_of_the_choices(client, koordinator, programme, name, field):
    client.force_login(koordinator)
    before = database_state()
    response = client.post(reverse(name), {field: "99999999999999999999"})
    assert response.status_code == 400
    assert "99999999999999999999 er ikke" in response.content.decode()
    assert database_state() == before


def test_an_in_lookup_leaves_out_integers_beyond_the_column(tiltak_212):
    beyond = [2**63, 10**20, -(2**63) - 1]
    assert list(Tiltak.objects.filter(pk__in=[tiltak_212.pk, *beyond])) == [tiltak_212]
    assert not Tiltak.objects.filter(pk__in=beyond).exists()
    assert Tiltak.objects.exclude(pk__in=beyond).count() == 45


def test_a_username_longer_than_any_account_is_refused_before_it_is_looked_up(client, programme):
    response = client.post(reverse("konto:login"), {"username": "x" * 100_000, "password": "x"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert response.context["form"].errors["username"]
