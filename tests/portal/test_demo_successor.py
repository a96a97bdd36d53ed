"""load_demo's draft successor 2024–2027: rolled over through the real services, flagged demo, a few of each
decision so the lineage shows at once, and made only once (issue 16)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from handlingsprogram.models import Handlingsprogram
from portal.demo import DEMO_SUCCESSOR
from tiltak.models import Tiltak, TiltakRullering

pytestmark = pytest.mark.django_db


def test_load_demo_rolls_the_programme_over_into_a_demo_draft_once(client, programme):
    call_command("load_demo", "--allow-production", stdout=io.StringIO())  # tests run with DEBUG off
    draft = Handlingsprogram.objects.get(slug=DEMO_SUCCESSOR["slug"])
    assert draft.demo and draft.is_draft and draft.forgjenger == programme
    assert draft.history.first().demo  # the audit history says so too
    assert Handlingsprogram.objects.current() == programme  # a draft never becomes current by itself
    programme.refresh_from_db()
    assert programme.state == Handlingsprogram.State.VEDTATT and not programme.demo
    decisions = list(TiltakRullering.objects.filter(handlingsprogram=draft).values_list("decision", flat=True))
    assert len(decisions) == 45
    for decision in ("endret", "slaatt_sammen", "delt", "avsluttet"):
        assert decisions.count(decision) >= 2, decision
    assert decisions.count("viderefoert") > 30
    assert draft.tekster.count() == 27

    snapshot = (
        list(Handlingsprogram.objects.values()),
        list(Tiltak.objects.order_by("pk").values()),
        list(TiltakRullering.objects.order_by("pk").values()),
    )
    out = io.StringIO()
    call_command("load_demo", "--allow-production", stdout=out)
    assert "Demo successor programme: none (already there)" in out.getvalue()
    assert snapshot == (
        list(Handlingsprogram.objects.values()),
        list(Tiltak.objects.order_by("pk").values()),
        list(TiltakRullering.objects.order_by("pk").values()),
    )

    # The lineage shows on an old tiltak's page, and the draft's pages are staff's and marked demo.
    from handlingsprogram.models import User

    staff = User.objects.get(username="koordinator")
    client.force_login(staff)
    old_page = client.get(Tiltak.objects.by_code(programme, "4.1.2").get().get_absolute_url()).content.decode()
    assert "Målet er nådd" in old_page
    area = draft.omraader.get(nummer=1)
    page = client.get(area.get_absolute_url()).content.decode()
    assert "data-demo" in page
    client.logout()
    assert client.get(area.get_absolute_url()).status_code == 404
    assert client.get(reverse("tiltak:programme", kwargs={"program": draft.slug})).status_code == 404


def test_load_demo_writes_a_draft_final_evaluation_marked_demo_once(client, programme):
    from handlingsprogram.models import User
    from rapportering.models import Sluttevaluering

    call_command("load_demo", "--allow-production", stdout=io.StringIO())
    evaluation = Sluttevaluering.objects.get(handlingsprogram=programme)
    assert evaluation.demo and evaluation.is_draft and evaluation.history.first().demo
    assert evaluation.overall_assessment.startswith("(Demo)")
    assert evaluation.programme_recommendation == Sluttevaluering.Anbefaling.RULLERES
    assert evaluation.omraadevurderinger.count() == 4
    assert all(v.text.startswith("(Demo)") for v in evaluation.omraadevurderinger.all())
    recommended = {r.tiltak.kode: r.recommendation for r in evaluation.tiltakanbefalinger.select_related("tiltak")}
    assert {recommended[code] for code in ("4.1.2", "3.1.4")} == {"avsluttes"}
    assert recommended["1.2.1"] == "slaas_sammen"

    out = io.StringIO()
    call_command("load_demo", "--allow-production", stdout=out)
    assert "Demo final evaluation (draft): none (already there)" in out.getvalue()
    assert Sluttevaluering.objects.count() == 1

    client.force_login(User.objects.get(username="koordinator"))
    page = client.get(evaluation.get_absolute_url()).content.decode()
    assert "data-demo" in page
