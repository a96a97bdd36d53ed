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
