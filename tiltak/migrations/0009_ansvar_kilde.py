"""An ansvar's provenance moves from its own fields (utledet, begrunnelse) to Kilde rows, one per part: the actor
(the row's own kilde), the enhet and the rolle. The document never names an avdeling and never says who leads and
who contributes, so enhet and rolle are always inferred; the actor is as the old fields said. load_programme then
brings these sources up to date with the programme file."""

from django.db import migrations

ENHET_REASONING = "Programdokumentet navngir ingen avdeling som ansvarlig for tiltaket."
ROLLE_REASONING = "Programdokumentet skiller ikke mellom ansvarlig og bidragsyter."
ACTOR_REASONING = "Programdokumentet navngir ikke aktøren for tiltaket."


def ansvar_to_kilder(apps, schema_editor):
    Ansvar = apps.get_model("tiltak", "Ansvar")
    Kilde = apps.get_model("handlingsprogram", "Kilde")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="tiltak", model="ansvar")
    existing = set(Kilde.objects.filter(content_type=content_type).values_list("object_id", "field_name"))
    new = []
    for ansvar in Ansvar.objects.select_related("tiltak__innsatsomraade__omraade"):

        def add(field_name, **source):
            if (ansvar.pk, field_name) not in existing:
                new.append(Kilde(content_type=content_type, object_id=ansvar.pk, field_name=field_name, **source))

        if ansvar.utledet:
            add("", type="utledet", reasoning=ansvar.begrunnelse or ACTOR_REASONING)
        else:
            area = ansvar.tiltak.innsatsomraade.omraade.nummer
            add("", type="dokument", reference=f"kap. 2.{area}, TILTAK")
        if ansvar.enhet_id:
            add("enhet", type="utledet", reasoning=ENHET_REASONING)
        add("rolle", type="utledet", reasoning=ROLLE_REASONING)
    Kilde.objects.bulk_create(new)


def kilder_to_ansvar(apps, schema_editor):
    Ansvar = apps.get_model("tiltak", "Ansvar")
    Kilde = apps.get_model("handlingsprogram", "Kilde")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="tiltak", model="ansvar").first()
    if content_type is None:
        return
    actor = {
        kilde.object_id: kilde
        for kilde in Kilde.objects.filter(content_type=content_type, field_name="", related_id__isnull=True)
    }
    for ansvar in Ansvar.objects.all():
        kilde = actor.get(ansvar.pk)
        ansvar.utledet = kilde is not None and kilde.type == "utledet"
        ansvar.begrunnelse = (kilde.reasoning if ansvar.utledet else "")[:500]
        ansvar.save(update_fields=["utledet", "begrunnelse"])
    Kilde.objects.filter(content_type=content_type, field_name__in=["", "enhet", "rolle"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tiltak", "0008_statusmelding_superseded_by"),
        ("handlingsprogram", "0006_kilde"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(ansvar_to_kilder, kilder_to_ansvar),
        migrations.RemoveField(model_name="ansvar", name="begrunnelse"),
        migrations.RemoveField(model_name="ansvar", name="utledet"),
        migrations.RemoveField(model_name="historicalansvar", name="begrunnelse"),
        migrations.RemoveField(model_name="historicalansvar", name="utledet"),
    ]
