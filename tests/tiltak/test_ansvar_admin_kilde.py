"""A fact a person changes in the admin is sourced to that person: the changed part only, with who and when."""

from django.urls import reverse

from tiltak.models import Ansvar, Tiltak


def test_changing_an_ansvars_role_in_the_admin_records_who(client, koordinator, programme):
    client.force_login(koordinator)
    ansvar = Ansvar.objects.filter(enhet__isnull=False).order_by("pk").first()
    before = {k.field_name: (k.type, k.reference, k.reasoning) for k in ansvar.kilder.all()}
    response = client.post(
        reverse("admin:tiltak_ansvar_change", args=[ansvar.pk]),
        {"tiltak": ansvar.tiltak_id, "aktoer": ansvar.aktoer_id, "enhet": ansvar.enhet_id, "rolle": "bidragsyter"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    after = {k.field_name: k for k in ansvar.kilder.all()}
    assert (after["rolle"].type, after["rolle"].recorded_by) == ("person", koordinator)
    assert after["rolle"].recorded_at is not None
    # The actor and the unit did not change: their sources stay as the programme file has them.
    assert (after[""].type, after[""].reference, after[""].reasoning) == before[""]
    assert (after["enhet"].type, after["enhet"].reference, after["enhet"].reasoning) == before["enhet"]


def test_adding_a_goal_to_a_tiltak_in_the_admin_records_the_link(client, koordinator, programme):
    client.force_login(koordinator)
    tiltak = Tiltak.objects.filter(maal__isnull=False).order_by("pk").first()
    area = tiltak.innsatsomraade.omraade
    maal = list(tiltak.maal.values_list("pk", flat=True))
    new = (
        area.maal.exclude(pk__in=maal).first() or programme.styringsdokumenter.first().maal.exclude(pk__in=maal).first()
    )
    ansvar = list(tiltak.ansvar.all())
    data = {
        "innsatsomraade": tiltak.innsatsomraade_id,
        "nummer": tiltak.nummer,
        "tekst": tiltak.tekst,
        "maal": [*maal, new.pk],
        "baerekraftsmaal": list(tiltak.baerekraftsmaal.values_list("pk", flat=True)),
        "ansvar-TOTAL_FORMS": len(ansvar),
        "ansvar-INITIAL_FORMS": len(ansvar),
        "ansvar-MIN_NUM_FORMS": 0,
        "ansvar-MAX_NUM_FORMS": 1000,
    }
    for index, item in enumerate(ansvar):
        data |= {
            f"ansvar-{index}-id": item.pk,
            f"ansvar-{index}-tiltak": tiltak.pk,
            f"ansvar-{index}-aktoer": item.aktoer_id,
            f"ansvar-{index}-enhet": item.enhet_id or "",
            f"ansvar-{index}-rolle": item.rolle,
        }
    response = client.post(reverse("admin:tiltak_tiltak_change", args=[tiltak.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    link = tiltak.kilder.get(field_name="maal", related_id=new.pk)
    assert (link.type, link.recorded_by) == ("person", koordinator)
    # The links that were there keep the programme file's source, and so does the row (nothing else changed).
    assert {k.type for k in tiltak.kilder.filter(field_name="maal").exclude(related_id=new.pk)} == {"utledet"}
    assert tiltak.kilder.get(field_name="").type == "dokument"
