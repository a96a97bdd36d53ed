"""`manage.py load_demo`: demo users, status reports and participation, created once, through the services."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from nettverk import selectors
from nettverk.models import Deltagelse

pytestmark = pytest.mark.django_db


def test_load_demo_fills_the_participation_pages_once(client, programme):
    call_command("load_demo", "--allow-production", stdout=io.StringIO())  # tests run with DEBUG off
    meetings = Deltagelse.objects.count()
    assert meetings == 11
    assert all(d.tittel.startswith("(Demo)") for d in Deltagelse.objects.all())
    assert Deltagelse.objects.filter(status="rapportert").count() == 8
    out = io.StringIO()
    call_command("load_demo", "--allow-production", stdout=out)
    assert Deltagelse.objects.count() == meetings
    assert "Demo participation created: none (already there)" in out.getvalue()

    from django.utils import timezone

    assert len(selectors.deltagelser_overdue(today=timezone.localdate())) == 1
    assert len(selectors.deltagelser_upcoming(today=timezone.localdate())) == 2
    assert client.get(reverse("nettverk:deltagelser_siste")).content.decode().count("data-deltagelse=") == 8


def test_load_demo_refuses_a_production_database_and_creates_nothing(programme, settings):
    """Demo accounts share a published password and demo rows look like the programme's own: with DEBUG off
    (production) load_demo refuses unless told this is a demo server."""
    from django.core.management import CommandError

    from handlingsprogram.models import User
    from tiltak.models import Statusmelding

    settings.DEBUG = False
    users, reports = User.objects.count(), Statusmelding.objects.count()
    with pytest.raises(CommandError, match="refusing to load them with DEBUG off"):
        call_command("load_demo", stdout=io.StringIO())
    assert (User.objects.count(), Statusmelding.objects.count(), Deltagelse.objects.count()) == (users, reports, 0)


def test_load_demo_flags_every_row_it_creates_and_nothing_else(programme):
    """Every row load_demo makes is flagged demo, with its audit history; the programme's own rows are not."""
    from handlingsprogram.models import User
    from resultater.models import Indikatorverdi, Prosjekt, Valutakurs
    from tiltak.models import Oppfoelgingsforespoersel, Rapporteringsrunde, Statusmelding
    from varsler.models import Varsel

    real = User.objects.create_user("ekte", password="x")  # noqa: S106
    call_command("load_demo", "--allow-production", stdout=io.StringIO())
    for model in (
        User,
        Statusmelding,
        Deltagelse,
        Prosjekt,
        Indikatorverdi,
        Valutakurs,
        Rapporteringsrunde,
        Oppfoelgingsforespoersel,
        Varsel,
    ):
        rows = model.objects.exclude(pk=real.pk) if model is User else model.objects.all()
        assert rows.exists(), model
        assert not rows.filter(demo=False).exists(), model
        if hasattr(model, "history"):
            assert not model.history.filter(demo=False).exists(), model
    real.refresh_from_db()
    assert not real.demo


def test_production_settings_without_allow_production_create_no_demo_rows(programme, settings):
    """DEBUG off and no --allow-production: not one demo-flagged row in any table load_demo fills."""
    from django.core.management import CommandError

    from handlingsprogram.models import User
    from resultater.models import Indikatorverdi, Prosjekt, Valutakurs
    from tiltak.models import Statusmelding

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())
    for model in (User, Statusmelding, Deltagelse, Prosjekt, Indikatorverdi, Valutakurs):
        assert not model.objects.filter(demo=True).exists(), model
    settings.DEBUG = True  # the same command with DEBUG on does load: the check above is not vacuous
    call_command("load_demo", stdout=io.StringIO())
    assert User.objects.filter(demo=True).count() == 4


def test_load_demo_opens_one_round_with_units_done_and_not_and_one_open_request(programme):
    from tiltak import oppfoelging_selectors
    from tiltak.models import Oppfoelgingsforespoersel, Rapporteringsrunde
    from varsler.models import Varsel

    call_command("load_demo", "--allow-production", stdout=io.StringIO())
    call_command("load_demo", "--allow-production", stdout=io.StringIO())  # a second run adds nothing
    runde = Rapporteringsrunde.objects.get()
    assert runde.is_open and runde.demo
    units = oppfoelging_selectors.runde_units(runde=runde)
    assert any(unit.complete for unit in units) and any(not unit.complete for unit in units)
    forespoersel = Oppfoelgingsforespoersel.objects.get()
    assert not forespoersel.is_answered and forespoersel.demo
    told = Varsel.objects.filter(user__username="saksbehandler-utdanning")
    assert set(told.values_list("kind", flat=True)) == {Varsel.Kind.RUNDE_AAPNET, Varsel.Kind.FORESPOERSEL}
