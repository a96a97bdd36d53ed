"""Each tiltak's status at the end of each year of its programme (see Aarsstatus), filled from the statusmeldinger
already there with the rule ``services.year_status_refresh`` applies from now on."""

import datetime

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    Tiltak = apps.get_model("tiltak", "Tiltak")
    Statusmelding = apps.get_model("tiltak", "Statusmelding")
    Aarsstatus = apps.get_model("tiltak", "Aarsstatus")
    programme = "innsatsomraade__omraade__handlingsprogram"
    years_of = {
        pk: range(start, end + 1)
        for pk, start, end in Tiltak.objects.values_list("pk", f"{programme}__start_year", f"{programme}__end_year")
    }
    latest_first = {}
    for tiltak_id, *values in (
        Statusmelding.objects.filter(withdrawn_at__isnull=True, superseded_by__isnull=True)
        .order_by("tiltak_id", "-date", "-created_at", "-id")
        .values_list("tiltak_id", "status", "vurdering", "date", "demo")
    ):
        latest_first.setdefault(tiltak_id, []).append(values)
    rows = []
    for tiltak_id, statusmeldinger in latest_first.items():
        for year in years_of[tiltak_id]:
            latest = next((values for values in statusmeldinger if values[2] <= datetime.date(year, 12, 31)), None)
            status, vurdering, dato, demo = latest or (None, None, None, False)
            rows.append(
                Aarsstatus(tiltak_id=tiltak_id, aar=year, status=status, vurdering=vurdering, dato=dato, demo=demo)
            )
    Aarsstatus.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('tiltak', '0016_tiltak_current_status'),
    ]

    operations = [
        migrations.CreateModel(
            name='Aarsstatus',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('aar', models.PositiveSmallIntegerField(verbose_name='year')),
                ('status', models.CharField(max_length=20, null=True, verbose_name='status')),
                ('vurdering', models.CharField(max_length=20, null=True, verbose_name='assessment')),
                ('dato', models.DateField(null=True, verbose_name='date of the status')),
                ('demo', models.BooleanField(default=False, verbose_name='demo data')),
                ('tiltak', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='aarsstatuser', to='tiltak.tiltak')),
            ],
            options={
                'verbose_name': 'status at the end of a year',
                'verbose_name_plural': 'statuses at the end of a year',
                'constraints': [models.UniqueConstraint(fields=('tiltak', 'aar'), name='aarsstatus_unique_tiltak_aar')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
