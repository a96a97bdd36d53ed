"""The partner API against its own OpenAPI description.

Schemathesis generates requests for every operation in the schema (valid and invalid parameter values, the
schema's boundary values, then random ones) and sends them in-process to the Django WSGI application, so they
read the test database with the real programme loaded. Every response must not be a server error, and must
conform to the schema: a documented status code, a documented content type and a body that matches the
documented response schema.

Generated identifiers seldom name a real object, so every detail operation is also called for real objects,
and a few refusals (bad key, unacceptable format) and a logged-in staff member's responses are checked the same
way. Rate limiting is off, so no 429 hides a response.

The schema the requests are generated from is drf-spectacular's, built the same way as the one served at
``/api/v1/schema/``; ``test_served_schema_is_valid_openapi`` checks that the two are the same document. It is
built once per session (``tests/api/openapi.py``), when this module is collected: schemathesis makes a test per
operation from it. (schemathesis's lazy ``from_fixture``, which would wait until a test runs, breaks under pytest 9.)"""

import datetime
from decimal import Decimal

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import get_resolver
from drf_spectacular.validation import validate_schema
from schemathesis import checks

from handlingsprogram.models import Aktoer, Finansieringsprogram, Styringsdokument
from nettverk.models import Medlemskap, Nettverk
from resultater.models import Indikator, Indikatorverdi, Prosjekt, Valutakurs
from tests.api.openapi import openapi_document
from tiltak.models import Statusmelding
from tiltak.services import statusmelding_withdraw

# "No 5xx, and every response is what the schema says." The negative_data_rejection, positive_data_acceptance
# and stateful checks are deliberately not here: this test is about the responses' conformance.
CONFORMANCE_CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


schema = schemathesis.openapi.from_dict(openapi_document())
# In-process: schemathesis calls the WSGI application in this thread, so it shares the test's database
# connection and sees the data of the test's transaction.
schema.app = WSGIHandler()


@pytest.fixture
def api_app(db, settings, statusmelding, koordinator):
    """The application as an anonymous partner reaches it, with some status reports to read.

    Rate limiting is switched off by giving the throttles a cache that forgets: DRF binds the throttle
    classes and rates to its views when it is imported, so overriding REST_FRAMEWORK here would not reach them.
    """
    # One report that corrects another, and the corrected one withdrawn, so the nullable fields
    # (korrigerer, trukket_tilbake) are present both with and without a value.
    Statusmelding.objects.create(
        tiltak=statusmelding.tiltak,
        author=statusmelding.author,
        date=datetime.date(2021, 4, 1),
        status=Statusmelding.Status.FULLFOERT,
        vurdering=Statusmelding.Vurdering.I_RUTE,
        gjennomfoert="Korrigert rapport.",
        korrigerer=statusmelding,
    )
    statusmelding_withdraw(statusmelding=statusmelding, user=koordinator, begrunnelse="Feil dato.")
    _resultater(statusmelding.tiltak, koordinator)
    _sluttevaluering(statusmelding.tiltak.innsatsomraade.omraade.handlingsprogram, koordinator)

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    # Django's request signals close the database connection after each request, which would end the test's
    # transaction; Django's own test client disconnects them the same way while it calls the application.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schema.app
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis.settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture, hypothesis.HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, api_app):
    case.call_and_validate(checks=CONFORMANCE_CHECKS)


# --- Real objects ------------------------------------------------------------------------------------------------
# Generated identifiers almost never name an object, so the conformance run sees few detail responses with a body.
# Here every detail operation is called for real objects, in both formats, and the same checks apply.


def real_path_parameters(programme) -> dict[str, list[dict]]:
    def some(queryset, **lookups):
        """One object with all of these nullable fields null, and one with some of them set (if there are)."""
        return [obj for obj in (queryset.filter(**lookups).first(), queryset.exclude(**lookups).first()) if obj]

    program = {"program": programme.slug}
    return {
        "/api/v1/handlingsprogrammer/{slug}/": [{"slug": programme.slug}],
        "/api/v1/prioriterte-omraader/{program}/{slug}/": [
            {**program, "slug": omraade.slug} for omraade in programme.omraader.all()[:2]
        ],
        "/api/v1/innsatsomraader/{program}/{kode}/": [{**program, "kode": "2.1"}],
        "/api/v1/tiltak/{program}/{kode}/": [{**program, "kode": "2.1.2"}, {**program, "kode": "1.1.1"}],
        "/api/v1/statusmeldinger/{id}/": [
            {"id": melding.pk} for melding in some(Statusmelding.objects, korrigerer=None, withdrawn_at=None)
        ],
        "/api/v1/aktoerer/{slug}/": [{"slug": aktoer.slug} for aktoer in Aktoer.objects.all()[:2]],
        "/api/v1/baerekraftsmaal/{nummer}/": [{"nummer": 4}],
        "/api/v1/styringsdokumenter/{slug}/": [
            {"slug": dokument.slug} for dokument in Styringsdokument.objects.all()[:2]
        ],
        "/api/v1/finansieringsprogrammer/{slug}/": [
            {"slug": fp.slug} for fp in some(Finansieringsprogram.objects, forelder=None, budsjett=None)
        ],
        "/api/v1/nettverk/{slug}/": [{"slug": nettverk.slug} for nettverk in some(Nettverk.objects, forelder=None)],
        "/api/v1/deltagelser/{id}/": [{"id": deltagelse.pk} for deltagelse in _deltagelser()],
        "/api/v1/medlemskap/{id}/": [
            {"id": medlemskap.pk} for medlemskap in some(Medlemskap.objects, enhet=None, start_date=None)
        ],
        # An area's indikator without a target or values, and a measure's with both (api_app gives it them).
        "/api/v1/indikatorer/{id}/": [
            {"id": Indikator.objects.get(tiltak=None, maal_verdi=None).pk},
            {"id": Indikator.objects.get(maal_verdi__isnull=False).pk},
        ],
        # A project whose currency has no rate (kurs and innvilget_nok null), and ones with a rate and with NOK.
        "/api/v1/prosjekter/{id}/": [{"id": prosjekt.pk} for prosjekt in Prosjekt.objects.order_by("ekstern_id")],
        # A part with nothing optional (no forelder, area or content_url), a footnote, an area's chapter, an appendix
        # kept as other data.
        "/api/v1/sluttevalueringer/{program}/": [program],
        "/api/v1/programtekster/{program}/{key}/": [
            {**program, "key": key} for key in ("vedlegg-5", "fotnote-2", "2.3", "vedlegg-2")
        ],
    }


def _sluttevaluering(programme, user):
    """An approved final evaluation, as approval leaves it (the content is not what the API reads)."""
    from django.utils import timezone

    from rapportering.models import Sluttevaluering

    Sluttevaluering.objects.create(
        handlingsprogram=programme,
        status=Sluttevaluering.Status.GODKJENT,
        approved_at=timezone.now(),
        approved_by=user,
        frozen_content={
            "content": {},
            "editorial": {
                "programanbefaling": "rulleres",
                "tiltak": {"2.1.2": {"anbefaling": "endres", "kommentar": ""}},
            },
        },
        pdf_sha256="0" * 64,
    )


def _resultater(tiltak, user):
    """Values and a target for an indikator from the programme file; projects with and without an exchange rate."""
    indikator = Indikator.objects.filter(tiltak__isnull=False).first()
    indikator.maal_verdi, indikator.maal_aar = Decimal("1000000.50"), 2023
    indikator.save()
    for aar in (2020, 2021):
        Indikatorverdi.objects.create(
            indikator=indikator, aar=aar, verdi=Decimal("950000.25"), kilde="Kilde", kommentar="", created_by=user
        )
    Valutakurs.objects.create(aar=2022, valuta="EUR", kurs=Decimal("10.1030"), kilde="Norges Bank")
    for ekstern_id, valuta, status in [
        ("A-EUR", "EUR", "innvilget"),
        ("B-SEK", "SEK", "soekt"),
        ("C-NOK", "NOK", "avsluttet"),
    ]:
        prosjekt = Prosjekt.objects.create(
            ekstern_id=ekstern_id, navn=f"Prosjekt {ekstern_id}",
            finansieringsprogram=Finansieringsprogram.objects.get(slug="interreg-sverige-norge"), rolle="partner",
            start_date=datetime.date(2022, 1, 1), end_date=datetime.date(2024, 12, 31), status=status,
            totalbudsjett=Decimal("2000000"), innvilget_trondelag=Decimal("500000.75"), valuta=valuta,
        )  # fmt: skip
        if valuta == "EUR":
            prosjekt.aktoerer.set(Aktoer.objects.all()[:2])
            prosjekt.tiltak.set([tiltak])


def _deltagelser():
    """One planned deltagelse with nothing optional filled in, and one reported with everything."""
    import datetime

    from django.utils import timezone

    from handlingsprogram.models import User
    from nettverk.models import Deltagelse

    author = User.objects.create_user(username="api-deltagelse", password="a-long-test-password")
    transport = Nettverk.objects.get(slug="nsc-transport")
    planned = Deltagelse.objects.create(
        nettverk=transport, tittel="Planlagt", start=datetime.date(2023, 1, 1), nivaa="politisk", created_by=author
    )
    reported = Deltagelse.objects.create(
        nettverk=transport,
        tittel="Rapportert",
        start=datetime.date(2022, 1, 1),
        end=datetime.date(2022, 1, 2),
        sted="Brussel",
        nivaa="administrativ",
        status="rapportert",
        reported_at=timezone.now(),
        formaal="Formål",
        referat="Referat",
        created_by=author,
    )
    reported.tiltak.set(transport.tiltak.all()[:2])
    return [planned, reported]


def detail_paths():
    return [
        path for path, _, operation in operations() if operation["operationId"].endswith("_retrieve") and "{" in path
    ]


def test_every_detail_operation_conforms_for_real_objects(api_app, programme):
    parameters = real_path_parameters(programme)
    assert set(parameters) == set(detail_paths())  # a new resource needs its real objects here
    for path, values in parameters.items():
        assert values, path
        for path_parameters in values:
            for fmt in ("json", "csv"):
                case = schema[path]["GET"].Case(path_parameters=path_parameters, query={"format": fmt})
                response = case.call_and_validate(checks=CONFORMANCE_CHECKS)
                assert response.status_code == 200, (path, path_parameters, fmt)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Authorization": "Token not-a-valid-key"}, 401),
        ({"Accept": "application/xml"}, 406),
    ],
)
def test_refusals_conform(api_app, headers, status):
    for path in ("/api/v1/", "/api/v1/tiltak/", "/api/v1/baerekraftsmaal/{nummer}/"):
        case = schema[path]["GET"].Case(path_parameters={"nummer": 4} if "{" in path else {}, headers=headers)
        response = case.call_and_validate(checks=CONFORMANCE_CHECKS)
        assert response.status_code == status, path


def test_portal_users_responses_conform(api_app, client, koordinator, settings):
    """Logged-in staff get the internal fields of status reports as well; the documented ones must still hold."""
    client.force_login(koordinator)
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    for path, path_parameters in [
        ("/api/v1/statusmeldinger/", {}),
        ("/api/v1/statusmeldinger/{id}/", {"id": Statusmelding.objects.first().pk}),
    ]:
        case = schema[path]["GET"].Case(path_parameters=path_parameters, cookies=cookies)
        response = case.call_and_validate(checks=CONFORMANCE_CHECKS)
        assert response.status_code == 200, path
        assert "intern_merknad" in response.text, path


# --- The schema itself ------------------------------------------------------------------------------------------


def test_served_schema_is_valid_openapi(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200

    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    served = response.json()
    validate_schema(served)  # what `manage.py spectacular --validate` does
    # The conformance test above runs against exactly the document partners get.
    assert served == openapi_document()


def operations():
    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            if method not in ("parameters", "summary", "description", "servers"):
                yield path, method, operation


def test_every_operation_is_read_only():
    methods = {(path, method) for path, method, _ in operations()}
    assert methods == {(path, "get") for path in openapi_document()["paths"]}


def test_every_list_operation_documents_success_bad_input_and_rate_limit():
    list_operations = [
        (path, operation) for path, _, operation in operations() if operation["operationId"].endswith("_list")
    ]
    # One per "<resource>-list" URL in the API's URLconf, so a renamed operation cannot slip past this test.
    list_urls = [name for name in get_resolver("portal.api_v1").reverse_dict if str(name).endswith("-list")]
    assert len(list_operations) == len(list_urls) > 0
    for path, operation in list_operations:
        assert {"200", "400", "429"} <= set(operation["responses"]), path
