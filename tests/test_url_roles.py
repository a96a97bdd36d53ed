"""Every URL name, opened by every kind of user: anonymous, leser, staff of another unit, staff of the
responsible unit, koordinator. The table below is the specification; a URL missing from it fails the test. Every
one of those responses also carries the production security headers."""

import datetime

import pytest
from django.urls import reverse

from tests.test_url_access import PORTAL_APPS, walk

ROLES = ["anonymous", "leser", "other_unit", "responsible", "koordinator"]
LOGIN = "login"  # redirected to the login page

PUBLIC = dict.fromkeys(ROLES, 200)
INTERNAL = {"anonymous": LOGIN, "leser": 200, "other_unit": 200, "responsible": 200, "koordinator": 200}
KOORDINATOR = {"anonymous": LOGIN, "leser": 403, "other_unit": 403, "responsible": 403, "koordinator": 200}
RESPONSIBLE = {"anonymous": LOGIN, "leser": 403, "other_unit": 403, "responsible": 200, "koordinator": 200}

EXPECTED = {
    "tiltak:overview": PUBLIC,
    "tiltak:programme": PUBLIC,
    "tiltak:omraade": PUBLIC,
    "handlingsprogram:styringsdokumenter_current": PUBLIC,
    "handlingsprogram:styringsdokumenter": PUBLIC,
    "handlingsprogram:finansieringsprogrammer": PUBLIC,
    "handlingsprogram:programdokument_current": PUBLIC,
    "handlingsprogram:programdokument": PUBLIC,
    "nettverk:list": PUBLIC,
    "nettverk:detail": PUBLIC,
    "nettverk:deltagelse_create": KOORDINATOR | {"other_unit": 200, "responsible": 200},  # staff, not readers
    "nettverk:deltagelse_detail": PUBLIC,  # internal parts only for staff (tests/nettverk/)
    # Opened on one the responsible officer registered: they and coordinators may edit it.
    "nettverk:deltagelse_edit": RESPONSIBLE,
    "nettverk:deltagelse_status": INTERNAL | {"leser": 405, "other_unit": 405, "responsible": 405, "koordinator": 405},
    "nettverk:mine_deltagelser": INTERNAL,
    "nettverk:vedlegg_upload": INTERNAL | {"leser": 405, "other_unit": 405, "responsible": 405, "koordinator": 405},
    "nettverk:vedlegg_download": INTERNAL,  # documents are internal: staff only
    "nettverk:vedlegg_delete": INTERNAL | {"leser": 405, "other_unit": 405, "responsible": 405, "koordinator": 405},
    "nettverk:deltagelser_siste": PUBLIC,
    "nettverk:deltagelser_atom": PUBLIC,
    "nettverk:deltagelser_ical": PUBLIC,
    "tiltak:detail": PUBLIC,
    # Comments are internal: any logged-in user reads them on the entry's page; adding is POST only.
    "handlingsprogram:kommentar_add": INTERNAL
    | {"leser": 405, "other_unit": 405, "responsible": 405, "koordinator": 405},
    # Opened on a comment the responsible officer wrote just now: only its author may change it.
    "handlingsprogram:kommentar_edit": RESPONSIBLE | {"koordinator": 403},
    "handlingsprogram:kommentar_hide": KOORDINATOR,
    "tiltak:statusmelding_create": RESPONSIBLE,
    "tiltak:statusmelding_withdraw": KOORDINATOR,
    "tiltak:statusmelding_vedlegg_download": INTERNAL,  # a status report's documents are internal like a meeting's
    "tiltak:mine": INTERNAL,
    # Reporting rounds: staff see them, coordinators open and close them; requests for an update: coordinators
    # ask, staff of the responsible unit reply (the coordinator here is of another unit).
    "tiltak:runde_list": INTERNAL,
    "tiltak:runde_create": KOORDINATOR,
    "tiltak:runde_detail": INTERNAL,
    "tiltak:runde_close": KOORDINATOR | {"koordinator": 405},  # POST only
    "tiltak:forespoersel_create": KOORDINATOR,
    "tiltak:forespoersel_answer": RESPONSIBLE | {"koordinator": 403},
    # Notifications: every logged-in user has their own list; marking read is POST only.
    "varsler:list": INTERNAL,
    "varsler:read": INTERNAL | {"leser": 405, "other_unit": 405, "responsible": 405, "koordinator": 405},
    "varsler:read_all": INTERNAL | {"leser": 405, "other_unit": 405, "responsible": 405, "koordinator": 405},
    # Each user's own e-mail preferences and follows; following and unfollowing are POST only (a leser may not
    # follow: the service refuses the POST, tests/varsler/test_innstillinger.py).
    "varsler:innstillinger": INTERNAL,
    "varsler:foelging_stop": INTERNAL | {"leser": 405, "other_unit": 405, "responsible": 405, "koordinator": 405},
    "nettverk:foelg": INTERNAL | {"leser": 405, "other_unit": 405, "responsible": 405, "koordinator": 405},
    "tiltak:omraade_foelg": INTERNAL | {"leser": 405, "other_unit": 405, "responsible": 405, "koordinator": 405},
    # Rolling over (opened on the current programme) and the draft's decisions and adoption: coordinators only.
    "tiltak:rullering_start": KOORDINATOR,
    "tiltak:rullering": KOORDINATOR,
    "tiltak:rullering_decision": KOORDINATOR,
    "tiltak:programme_adopt": KOORDINATOR,
    "portal:dashboard": INTERNAL,
    "portal:kilde_review": KOORDINATOR,
    "portal:programme_export": KOORDINATOR,  # opened on the draft (a file to load elsewhere)
    "portal:kilde_confirm": KOORDINATOR | {"koordinator": 405},  # POST only
    "portal:kilde_correct": KOORDINATOR,  # opened on an inferred unit of an ansvar
    "portal:favicon": dict.fromkeys(ROLES, 302),  # to the SVG icon in the static files
    "portal:sok": PUBLIC,  # what each role finds: tests/portal/test_search.py
    "portal:tilgjengelighet": PUBLIC,
    "portal:personvern": PUBLIC,
    "portal:kontakt": PUBLIC,
    "portal:set_language": dict.fromkeys(ROLES, 405),  # the language switch: POST only
    "tiltak:list": INTERNAL,
    "tiltak:export": INTERNAL,
    "resultater:indikator_list_current": PUBLIC,
    "resultater:indikator_list": PUBLIC,
    "resultater:indikator_detail": PUBLIC,
    "resultater:indikator_create": KOORDINATOR,
    "resultater:indikator_edit": KOORDINATOR,
    # Opened on an indikator of the responsible officer's tiltak.
    "resultater:indikatorverdi_save": RESPONSIBLE,
    "resultater:indikatorverdi_export": INTERNAL,
    "resultater:prosjekt_list": PUBLIC,
    "resultater:prosjekt_detail": PUBLIC,
    "resultater:prosjekt_export": INTERNAL,
    # Staff responsible for some tiltak may register a project for one of theirs.
    "resultater:prosjekt_create": KOORDINATOR | {"other_unit": 200, "responsible": 200},
    # Opened on a project serving the responsible officer's tiltak.
    "resultater:prosjekt_edit": RESPONSIBLE,
    "resultater:prosjekt_import": KOORDINATOR,
    "resultater:prosjekt_import_preview": KOORDINATOR,  # opened on the coordinator's own upload
    "resultater:finansiering": PUBLIC,
    "resultater:valutakurser": KOORDINATOR,
    "konto:login": PUBLIC,
    "konto:logout": dict.fromkeys(ROLES, 405),  # POST only
    "konto:password_change": INTERNAL,
    "konto:password_change_done": INTERNAL,
    "konto:password_reset": PUBLIC,
    "konto:password_reset_done": PUBLIC,
    "konto:password_reset_confirm": PUBLIC,
    "konto:password_reset_complete": PUBLIC,
    "rapportering:list": PUBLIC,
    "rapportering:list_current": PUBLIC,
    "rapportering:create": KOORDINATOR,
    # Opened on a draft, which only coordinators see; approved reports are public (tests/rapportering/).
    "rapportering:detail": KOORDINATOR,
    "rapportering:preview": KOORDINATOR,
    # A draft has no stored PDF: coordinators are sent to its page, where they can have one made.
    "rapportering:pdf": KOORDINATOR | {"koordinator": 302},
    "rapportering:generate": KOORDINATOR | {"koordinator": 405},  # POST only
    "rapportering:generering": KOORDINATOR,
    "rapportering:generering_status": KOORDINATOR,
    "rapportering:generering_pdf": KOORDINATOR,  # opened on a finished draft PDF
    "rapportering:edit": KOORDINATOR,
    "rapportering:approve": KOORDINATOR,
    "rapportering:reopen": KOORDINATOR,  # opened on an approved report
    # Four eyes: the setting and marking a draft ready are coordinators' POSTs (tests/rapportering/test_four_eyes.py).
    "rapportering:mark_ready": KOORDINATOR | {"koordinator": 405},
    "rapportering:sluttevaluering_mark_ready": KOORDINATOR | {"koordinator": 405},
    "rapportering:approval_setting": KOORDINATOR | {"koordinator": 405},
    # The final evaluation, opened on a draft: staff read it, coordinators write it (tests/rapportering/).
    "rapportering:sluttevaluering": INTERNAL | {"leser": 403},
    "rapportering:sluttevaluering_preview": INTERNAL | {"leser": 403},
    "rapportering:sluttevaluering_pdf": INTERNAL
    | {"leser": 403, "other_unit": 302, "responsible": 302, "koordinator": 302},
    "rapportering:sluttevaluering_create": KOORDINATOR,  # opened before there is one
    "rapportering:sluttevaluering_edit": KOORDINATOR,
    "rapportering:sluttevaluering_approve": KOORDINATOR,
    "rapportering:sluttevaluering_generate": KOORDINATOR | {"koordinator": 405},  # POST only
    "api:sluttevaluering-list": PUBLIC,
    "api:sluttevaluering-detail": PUBLIC,  # opened on an approved one
    # The partner API is public data for everyone; internal fields depend on the role (tests/api/test_api.py).
    **{
        f"api:{name}": PUBLIC
        for name in [
            "root",
            "schema",
            "docs",
            *(
                f"{resource}-{kind}"
                for resource in [
                    "handlingsprogram",
                    "omraade",
                    "innsatsomraade",
                    "tiltak",
                    "statusmelding",
                    "aktoer",
                    "baerekraftsmaal",
                    "styringsdokument",
                    "finansieringsprogram",
                    "programtekst",
                    "nettverk",
                    "deltagelse",
                    "medlemskap",
                    "indikator",
                    "prosjekt",
                ]
                for kind in ["list", "detail"]
            ),
            "valutakurs-list",
        ]
    },
}


def url_names():
    return sorted(
        f"{ns}:{p.name}"
        for ns, p in walk(__import__("django.urls").urls.get_resolver().url_patterns)
        if ns in PORTAL_APPS
    )


def test_the_table_covers_every_url_name():
    assert set(url_names()) == set(EXPECTED)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Draft PDFs made for the generation URLs go to a throwaway directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def role_users(django_db_setup, django_db_blocker):
    """The four users, made once for this module's ~700 tests rather than once per test. They are committed
    outside the tests' transactions, so every test's rollback leaves them, and removed when the module is done,
    so no other module finds them. (Only this module's tests use them, and none of them is transactional: a flush
    would take them away.)"""
    from handlingsprogram.models import Enhet, User

    def make(username, rolle, enhet_slug=None):
        enhet = Enhet.objects.get(aktoer__slug="trondelag-fylkeskommune", slug=enhet_slug) if enhet_slug else None
        return User.objects.create_user(username=username, password="a-long-test-password", rolle=rolle, enhet=enhet)

    # The same users, names and units as tests/conftest.py's fixtures of the same names.
    with django_db_blocker.unblock():
        users = {
            "leser": make("leser-test", User.Rolle.LESER),
            "other_unit": make("saksbehandler-plan", User.Rolle.SAKSBEHANDLER, "avdeling-for-plan-og-naering"),
            "responsible": make("saksbehandler-test", User.Rolle.SAKSBEHANDLER, "avdeling-for-utdanning"),
            "koordinator": make("koordinator-test", User.Rolle.KOORDINATOR, "avdeling-for-plan-og-naering"),
        }
    yield users
    with django_db_blocker.unblock():
        User.objects.filter(pk__in=[user.pk for user in users.values()]).delete()


# conftest.py's user fixtures, answered from the module's users (statusmelding, for one, asks for saksbehandler).
@pytest.fixture
def leser(db, role_users):
    return role_users["leser"]


@pytest.fixture
def saksbehandler_annen_enhet(db, role_users):
    return role_users["other_unit"]


@pytest.fixture
def saksbehandler(db, role_users):
    return role_users["responsible"]


@pytest.fixture
def koordinator(db, role_users):
    return role_users["koordinator"]


@pytest.fixture
def users(db, role_users):
    return {"anonymous": None, **role_users}


def build_url(name, programme, tiltak_212, statusmelding):
    from nettverk.models import Medlemskap, Nettverk

    kwargs = {
        "tiltak:programme": {"program": programme.slug},
        "tiltak:omraade": {"program": programme.slug, "omraade": programme.omraader.first().slug},
        "tiltak:omraade_foelg": {"program": programme.slug, "omraade": programme.omraader.first().slug},
        "nettverk:foelg": {"slug": Nettverk.objects.first().slug},
        "handlingsprogram:styringsdokumenter": {"program": programme.slug},
        "handlingsprogram:programdokument": {"program": programme.slug},
        "nettverk:detail": {"slug": Nettverk.objects.first().slug},
        "tiltak:detail": {"program": programme.slug, "kode": tiltak_212.kode},
        "tiltak:statusmelding_create": {"program": programme.slug, "kode": tiltak_212.kode},
        "tiltak:statusmelding_withdraw": {"pk": statusmelding.pk},
        "tiltak:forespoersel_create": {"program": programme.slug, "kode": tiltak_212.kode},
        "tiltak:export": {"fmt": "csv"},
        "tiltak:rullering_start": {"program": programme.slug},
        "resultater:indikator_list": {"program": programme.slug},
        "resultater:indikator_create": {"program": programme.slug},
        "resultater:indikatorverdi_export": {"program": programme.slug, "fmt": "xlsx"},
        "resultater:prosjekt_export": {"fmt": "csv"},
        # No reset token in the session: the "invalid link" page, answered directly (200), for every role.
        "konto:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "rapportering:list": {"program": programme.slug},
        "rapportering:create": {"program": programme.slug},
        "rapportering:approval_setting": {"program": programme.slug},
        "api:handlingsprogram-detail": {"slug": programme.slug},
        "api:omraade-detail": {"program": programme.slug, "slug": programme.omraader.first().slug},
        "api:innsatsomraade-detail": {"program": programme.slug, "kode": "2.1"},
        "api:tiltak-detail": {"program": programme.slug, "kode": tiltak_212.kode},
        "api:statusmelding-detail": {"pk": statusmelding.pk},
        "api:aktoer-detail": {"slug": "ks"},
        "api:baerekraftsmaal-detail": {"nummer": 4},
        "api:styringsdokument-detail": {"slug": "trondelagsplanen-2019-2030"},
        "api:finansieringsprogram-detail": {"slug": "erasmus-plus"},
        "api:programtekst-detail": {"program": programme.slug, "key": "1.4"},
        "api:nettverk-detail": {"slug": Nettverk.objects.first().slug},
        "api:medlemskap-detail": {"pk": Medlemskap.objects.first().pk},
    }.get(name, {})
    if name in (
        "resultater:indikator_detail",
        "resultater:indikator_edit",
        "resultater:indikatorverdi_save",
        "api:indikator-detail",
    ):
        kwargs = {"pk": _indikator(tiltak_212).pk}
    elif name in ("resultater:prosjekt_detail", "resultater:prosjekt_edit", "api:prosjekt-detail"):
        kwargs = {"pk": _prosjekt(tiltak_212).pk}
    elif name == "resultater:prosjekt_import_preview":
        kwargs = {"pk": _prosjekt_import().pk}
    elif name in ("nettverk:vedlegg_download", "nettverk:vedlegg_delete"):
        kwargs = {"pk": _vedlegg(registered_by=statusmelding.author).pk}
    elif name == "tiltak:statusmelding_vedlegg_download":
        kwargs = {"pk": _statusmelding_vedlegg(statusmelding).pk}
    elif name == "nettverk:vedlegg_upload" or name in (
        "nettverk:deltagelse_detail",
        "nettverk:deltagelse_edit",
        "nettverk:deltagelse_status",
        "api:deltagelse-detail",
    ):
        kwargs = {"pk": _deltagelse(registered_by=statusmelding.author).pk}
    elif name == "handlingsprogram:kommentar_add":
        kwargs = {"kind": "statusmelding", "pk": statusmelding.pk}
    elif name in ("handlingsprogram:kommentar_edit", "handlingsprogram:kommentar_hide"):
        kwargs = {"pk": _kommentar(statusmelding).pk}
    elif name in ("tiltak:runde_detail", "tiltak:runde_close"):
        kwargs = {"pk": _runde(programme).pk}
    elif name == "tiltak:forespoersel_answer":
        kwargs = {"pk": _forespoersel(tiltak_212).pk}
    elif name in ("varsler:read", "varsler:foelging_stop"):
        kwargs = {"pk": 1}  # GET is refused (405) before the notification is looked up
    elif name in ("portal:kilde_confirm", "portal:kilde_correct"):
        kwargs = {"pk": _kilde_utledet(tiltak_212).pk}
    elif name in ("tiltak:rullering", "tiltak:rullering_decision", "tiltak:programme_adopt", "portal:programme_export"):
        kwargs = {"program": _draft(programme).slug} | ({"kode": tiltak_212.kode} if "decision" in name else {})
    elif name == "api:sluttevaluering-detail":
        kwargs = {"program": _sluttevaluering(programme, approved_by=statusmelding.author).handlingsprogram.slug}
    elif name.startswith("rapportering:sluttevaluering"):
        if name != "rapportering:sluttevaluering_create":
            _sluttevaluering(programme)
        kwargs = {"program": programme.slug}
    elif name.startswith("rapportering:generering"):
        kwargs = {"pk": _pdf_generering(programme, requested_by=statusmelding.author).pk}
    elif name.startswith("rapportering:") and name != "rapportering:list_current" and not kwargs:
        kwargs = {"pk": _aarsrapport(programme, approved=name == "rapportering:reopen").pk}
    if name == "portal:sok":  # the results page, with hits of several types and "show all" links
        return reverse(name) + "?q=internasjonal"
    return reverse(name, kwargs=kwargs)


def _kommentar(statusmelding):
    """A comment by the statusmelding's author (the responsible officer) on it, written just now."""
    from handlingsprogram.kommentar_services import kommentar_add

    return kommentar_add(user=statusmelding.author, target=statusmelding, tekst="Se vedlagt notat.")


def _runde(programme):
    """The open round for 2021 (one for every URL that needs it: only one may be open per year)."""
    from handlingsprogram.models import User
    from tiltak.models import Rapporteringsrunde

    runde, _ = Rapporteringsrunde.objects.get_or_create(
        handlingsprogram=programme,
        aar=2021,
        closed_at=None,
        defaults={
            "navn": "Årsrapport 2021",
            "frist": datetime.date(2022, 1, 15),
            "opened_by": User.objects.filter(rolle=User.Rolle.KOORDINATOR).order_by("pk").first(),
        },
    )
    return runde


def _forespoersel(tiltak):
    from handlingsprogram.models import User
    from tiltak.models import Oppfoelgingsforespoersel

    return Oppfoelgingsforespoersel.objects.create(
        tiltak=tiltak,
        melding="Hvordan går det?",
        asked_by=User.objects.filter(rolle=User.Rolle.KOORDINATOR).order_by("pk").first(),
    )


def _sluttevaluering(programme, approved_by=None):
    """The programme's final evaluation (the same one for every URL that needs it): a draft, or approved as
    approval leaves it (the frozen document built from the data; the PDF's hash stands in for a PDF)."""
    from django.utils import timezone

    from rapportering import selectors
    from rapportering.models import Sluttevaluering

    draft = Sluttevaluering.objects.get_or_create(handlingsprogram=programme)[0]
    if approved_by is not None and draft.is_draft:
        document = selectors.evaluation_live_document(
            sluttevaluering=selectors.sluttevaluering_for(programme=programme)
        )
        Sluttevaluering.objects.filter(pk=draft.pk).update(
            status="godkjent",
            approved_at=timezone.now(),
            approved_by=approved_by,
            frozen_content=document,
            pdf_sha256="0" * 64,
        )
        draft.refresh_from_db()
    return draft


def _kilde_utledet(tiltak):
    """An inferred unit on the tiltak's first ansvar (the same one for every URL that needs it)."""
    from django.contrib.contenttypes.models import ContentType

    from handlingsprogram.models import Kilde

    ansvar = tiltak.ansvar.order_by("pk").first()
    kilde, _ = Kilde.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(ansvar),
        object_id=ansvar.pk,
        field_name="enhet",
        related_id=None,
        defaults={"type": "utledet", "reasoning": "The unit that works with the subject.", "reference": ""},
    )
    return kilde


def _indikator(tiltak):
    from resultater.models import Indikator

    return Indikator.objects.create(
        tiltak=tiltak, navn="Deltakere", maaleenhet="antall", basis_verdi=10, basis_aar=2019, basis_kilde="Test"
    )


def _prosjekt(tiltak):
    import datetime

    from handlingsprogram.models import Finansieringsprogram
    from resultater.models import Prosjekt

    # The same project for every URL that needs one, so that one test can build them all (tests/test_junk_input.py).
    if prosjekt := Prosjekt.objects.filter(ekstern_id="2021-1-NO01-KA121-VET-000012345").first():
        return prosjekt
    prosjekt = Prosjekt.objects.create(
        ekstern_id="2021-1-NO01-KA121-VET-000012345",
        navn="Mobilitet i yrkesfag",
        finansieringsprogram=Finansieringsprogram.objects.get(slug="erasmus-plus"),
        rolle="koordinator",
        start_date=datetime.date(2021, 6, 1),
        end_date=datetime.date(2023, 5, 31),
        status="innvilget",
        totalbudsjett=400000,
        innvilget_trondelag=400000,
        valuta="EUR",
    )
    prosjekt.tiltak.set([tiltak])
    return prosjekt


def _prosjekt_import():
    from handlingsprogram.models import User
    from resultater.models import ProsjektImport

    return ProsjektImport.objects.create(
        fil=b"ekstern_id;navn\n",
        rader=[["ekstern_id", "navn"]],  # the file's rows, as the upload reads them
        filnavn="prosjekter.csv",
        created_by=User.objects.get(rolle="koordinator"),
    )


def _deltagelse(*, registered_by):
    import datetime

    from nettverk.models import Deltagelse, Nettverk

    return Deltagelse.objects.create(
        nettverk=Nettverk.objects.get(slug="nordsjokommisjonen"),
        tittel="Arbeidsgruppemøte",
        start=datetime.date(2023, 3, 1),
        nivaa="administrativ",
        # Prepared but still "planlagt" (made without the service, which would move it on): the page offers the
        # step to "forberedt", so the status form is there for the walks to find.
        formaal="Påvirke TEN-T",
        forberedelser="Notat til fylkesrådet",
        created_by=registered_by,
    )


def _statusmelding_vedlegg(statusmelding):
    from django.core.files.base import ContentFile

    from tiltak.models import StatusmeldingVedlegg

    vedlegg = StatusmeldingVedlegg(
        statusmelding=statusmelding, navn="rapport.pdf", type="pdf", stoerrelse=13, uploaded_by=statusmelding.author
    )
    vedlegg.fil.save("rapport.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    vedlegg.save()
    return vedlegg


def _vedlegg(*, registered_by):
    from django.core.files.base import ContentFile

    from nettverk.models import Vedlegg

    vedlegg = Vedlegg(
        deltagelse=_deltagelse(registered_by=registered_by),
        navn="referat.pdf",
        type="pdf",
        stoerrelse=13,
        uploaded_by=registered_by,
    )
    vedlegg.fil.save("referat.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    vedlegg.save()
    return vedlegg


def _pdf_generering(programme, *, requested_by):
    from django.core.files.base import ContentFile

    from rapportering.models import PdfGenerering

    aarsrapport = _aarsrapport(programme, approved=False)
    generering = PdfGenerering(
        aarsrapport=aarsrapport,
        formaal=PdfGenerering.Formaal.UTKAST,
        status=PdfGenerering.Status.FERDIG,
        sider=1,
        requested_by=requested_by,
    )
    generering.pdf.save("utkast.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    generering.save()
    return generering


def _draft(programme):
    """The programme's successor as a draft, rolled over by a coordinator (the module's, or the calling test's)."""
    from handlingsprogram.models import Handlingsprogram, User
    from tiltak.rullering_services import programme_roll_over

    return Handlingsprogram.objects.filter(forgjenger=programme).first() or programme_roll_over(
        user=User.objects.filter(rolle=User.Rolle.KOORDINATOR).order_by("pk").first(),
        programme=programme,
        navn="Neste program",
        slug="neste-program",
        start_year=programme.end_year + 1,
        end_year=programme.end_year + 4,
    )


def _aarsrapport(programme, *, approved: bool):
    from django.utils import timezone

    from rapportering.models import Aarsrapport

    # get_or_create: one report per year, however many URLs are built in one test. The approved one is of a later
    # year than the draft, so that it is not the draft's "previous report" (its frozen content is empty).
    if not approved:
        return Aarsrapport.objects.get_or_create(handlingsprogram=programme, aar=2021)[0]
    return Aarsrapport.objects.get_or_create(
        handlingsprogram=programme,
        aar=2023,
        defaults={
            "status": Aarsrapport.Status.GODKJENT,
            "approved_at": timezone.now(),
            "frozen_content": {},
            "pdf_sha256": "0" * 64,
        },
    )[0]


PRODUCTION_SECURITY = {
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_access(client, settings, users, programme, tiltak_212, statusmelding, name, role):
    """The status the table gives; and every response, pages, API, files, redirects and errors alike, carries the
    production security headers, a strict CSP (nothing inline), and only secure cookies. One request serves both
    checks: the suite opens each URL as each role once."""
    for setting, value in PRODUCTION_SECURITY.items():
        setattr(settings, setting, value)
    if users[role] is not None:
        client.force_login(users[role])
    response = client.get(build_url(name, programme, tiltak_212, statusmelding), secure=True)
    expected = EXPECTED[name][role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("konto:login"))
    else:
        assert response.status_code == expected, f"{name} as {role}: {response.status_code}"

    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", name
    assert headers["X-Content-Type-Options"] == "nosniff", name
    assert headers["Referrer-Policy"] == "same-origin", name
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin", name
    assert headers["X-Frame-Options"] == "DENY", name
    csp = headers["Content-Security-Policy"]
    # Pages get the portal's policy; downloaded documents an even stricter one (nothing at all, sandboxed).
    assert ("default-src 'self'" in csp and "object-src 'none'" in csp) or "default-src 'none'" in csp, name
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, name
    for cookie in response.cookies.values():
        assert cookie["secure"], (name, cookie.key)
        assert cookie["samesite"] == "Lax", (name, cookie.key)
        if cookie.key == settings.SESSION_COOKIE_NAME:
            assert cookie["httponly"], name
