"""Generic fields get English names, as the glossary asks (only domain nouns are Norwegian). RenameField renames
the columns in place, history tables included; the partner API keeps its names (startdato, sluttdato)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("resultater", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The check constraint names two of the fields: dropped before the renames, made again after (so that
        # migrating backwards also works).
        migrations.RemoveConstraint(model_name="prosjekt", name="prosjekt_period_order"),
        migrations.RenameField("prosjekt", "startdato", "start_date"),
        migrations.RenameField("prosjekt", "sluttdato", "end_date"),
        migrations.RenameField("historicalprosjekt", "startdato", "start_date"),
        migrations.RenameField("historicalprosjekt", "sluttdato", "end_date"),
        migrations.RenameField("indikatorverdi", "registrert_av", "created_by"),
        migrations.RenameField("historicalindikatorverdi", "registrert_av", "created_by"),
        migrations.RenameField("prosjektimport", "opprettet_av", "created_by"),
        migrations.RenameField("prosjektimport", "importert", "imported_at"),
        migrations.AlterModelOptions(
            name="prosjekt",
            options={"ordering": ["-start_date", "navn", "id"], "verbose_name": "project", "verbose_name_plural": "projects"},
        ),
        migrations.AddConstraint(
            model_name="prosjekt",
            constraint=models.CheckConstraint(
                condition=models.Q(("end_date__gte", models.F("start_date"))), name="prosjekt_period_order"
            ),
        ),
    ]
