# Hand-written: generic field names in English (issue 14). RenameField renames the columns in place, in the models
# and in their history tables; the autodetector would drop and re-add them and lose the data. The indexes and
# constraints that name a renamed field are dropped before and added back after (same names), because RenameField
# does not rewrite them in the migration state, and SQLite rebuilds a table from that state when it renames a
# foreign key column.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("nettverk", "0003_vedlegg"),
    ]

    operations = [
        # Medlemskap
        migrations.RemoveConstraint(model_name="medlemskap", name="medlemskap_end_after_start"),
        migrations.RemoveConstraint(model_name="medlemskap", name="medlemskap_unique_seat_undated"),
        migrations.RemoveConstraint(model_name="medlemskap", name="medlemskap_unique_seat"),
        migrations.RenameField(model_name="medlemskap", old_name="fra_dato", new_name="start_date"),
        migrations.RenameField(model_name="medlemskap", old_name="til_dato", new_name="end_date"),
        migrations.AddConstraint(
            model_name="medlemskap",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("start_date__isnull", True),
                    ("end_date__isnull", True),
                    ("end_date__gte", models.F("start_date")),
                    _connector="OR",
                ),
                name="medlemskap_end_after_start",
            ),
        ),
        migrations.AddConstraint(
            model_name="medlemskap",
            constraint=models.UniqueConstraint(
                condition=models.Q(("start_date__isnull", True)),
                fields=("nettverk", "aktoer", "rolle", "nivaa"),
                name="medlemskap_unique_seat_undated",
            ),
        ),
        migrations.AddConstraint(
            model_name="medlemskap",
            constraint=models.UniqueConstraint(
                condition=models.Q(("start_date__isnull", False)),
                fields=("nettverk", "aktoer", "rolle", "nivaa", "start_date"),
                name="medlemskap_unique_seat",
            ),
        ),
        # Deltagelse
        migrations.RemoveIndex(model_name="deltagelse", name="deltagelse_rapportert"),
        migrations.RemoveConstraint(model_name="deltagelse", name="deltagelse_end_after_start"),
        migrations.RemoveConstraint(model_name="deltagelse", name="deltagelse_reported_has_time"),
        migrations.RenameField(model_name="deltagelse", old_name="slutt", new_name="end"),
        migrations.RenameField(model_name="deltagelse", old_name="rapportert_at", new_name="reported_at"),
        migrations.RenameField(model_name="deltagelse", old_name="paaminnelse_sendt", new_name="reminder_sent_at"),
        migrations.RenameField(model_name="deltagelse", old_name="registrert_av", new_name="created_by"),
        migrations.RenameField(model_name="historicaldeltagelse", old_name="slutt", new_name="end"),
        migrations.RenameField(model_name="historicaldeltagelse", old_name="rapportert_at", new_name="reported_at"),
        migrations.RenameField(
            model_name="historicaldeltagelse", old_name="paaminnelse_sendt", new_name="reminder_sent_at"
        ),
        migrations.RenameField(model_name="historicaldeltagelse", old_name="registrert_av", new_name="created_by"),
        migrations.AddIndex(
            model_name="deltagelse",
            index=models.Index(fields=["-reported_at"], name="deltagelse_rapportert"),
        ),
        migrations.AddConstraint(
            model_name="deltagelse",
            constraint=models.CheckConstraint(
                condition=models.Q(("end__isnull", True), ("end__gte", models.F("start")), _connector="OR"),
                name="deltagelse_end_after_start",
            ),
        ),
        migrations.AddConstraint(
            model_name="deltagelse",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "rapportert"), _negated=True), ("reported_at__isnull", False), _connector="OR"
                ),
                name="deltagelse_reported_has_time",
            ),
        ),
        # Vedlegg
        migrations.RenameField(model_name="vedlegg", old_name="lastet_opp_av", new_name="uploaded_by"),
        migrations.RenameField(model_name="historicalvedlegg", old_name="lastet_opp_av", new_name="uploaded_by"),
    ]
