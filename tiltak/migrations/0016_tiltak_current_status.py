"""The tiltak's current status kept on the tiltak (see Tiltak.gjeldende_status), filled from the statusmeldinger
already there with the rule the signals use from now on."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Tiltak = apps.get_model("tiltak", "Tiltak")
    Statusmelding = apps.get_model("tiltak", "Statusmelding")
    latest = Statusmelding.objects.filter(
        tiltak=OuterRef("pk"), withdrawn_at__isnull=True, superseded_by__isnull=True
    ).order_by("-date", "-created_at", "-id")
    Tiltak.objects.update(
        gjeldende_status=Subquery(latest.values("status")[:1]),
        gjeldende_vurdering=Subquery(latest.values("vurdering")[:1]),
        gjeldende_dato=Subquery(latest.values("date")[:1]),
        gjeldende_demo=Coalesce(Subquery(latest.values("demo")[:1]), Value(False)),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('tiltak', '0015_statusmelding_demo'),
    ]

    operations = [
        migrations.AddField(
            model_name='tiltak',
            name='gjeldende_dato',
            field=models.DateField(editable=False, null=True, verbose_name='date of the current status'),
        ),
        migrations.AddField(
            model_name='tiltak',
            name='gjeldende_demo',
            field=models.BooleanField(default=False, editable=False, verbose_name='current status is demo data'),
        ),
        migrations.AddField(
            model_name='tiltak',
            name='gjeldende_status',
            field=models.CharField(editable=False, max_length=20, null=True, verbose_name='current status'),
        ),
        migrations.AddField(
            model_name='tiltak',
            name='gjeldende_vurdering',
            field=models.CharField(editable=False, max_length=20, null=True, verbose_name='current assessment'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
