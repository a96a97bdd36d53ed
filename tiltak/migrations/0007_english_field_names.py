# Hand-written: generic field names in English (issue 14). RenameField renames the columns in place, in the models
# and in their history tables; the autodetector would drop and re-add them and lose the data. The index and
# constraints that name a renamed field are dropped before and added back after (same names), because RenameField
# does not rewrite them in the migration state, and SQLite rebuilds a table from that state when it renames a
# foreign key column.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tiltak", "0006_results_moved_to_resultater"),
    ]

    operations = [
        # Statusmelding
        migrations.RemoveIndex(model_name="statusmelding", name="statusmelding_current"),
        migrations.RemoveConstraint(model_name="statusmelding", name="statusmelding_withdrawal_complete"),
        migrations.RenameField(model_name="statusmelding", old_name="forfatter", new_name="author"),
        migrations.RenameField(model_name="statusmelding", old_name="dato", new_name="date"),
        migrations.RenameField(model_name="statusmelding", old_name="trukket_tilbake", new_name="withdrawn_at"),
        migrations.RenameField(model_name="statusmelding", old_name="trukket_tilbake_av", new_name="withdrawn_by"),
        migrations.RenameField(model_name="historicalstatusmelding", old_name="forfatter", new_name="author"),
        migrations.RenameField(model_name="historicalstatusmelding", old_name="dato", new_name="date"),
        migrations.RenameField(
            model_name="historicalstatusmelding", old_name="trukket_tilbake", new_name="withdrawn_at"
        ),
        migrations.RenameField(
            model_name="historicalstatusmelding", old_name="trukket_tilbake_av", new_name="withdrawn_by"
        ),
        migrations.AlterModelOptions(
            name="statusmelding",
            options={
                "ordering": ["-date", "-created_at", "-id"],
                "verbose_name": "status report",
                "verbose_name_plural": "status reports",
            },
        ),
        migrations.AddIndex(
            model_name="statusmelding",
            index=models.Index(
                condition=models.Q(("withdrawn_at__isnull", True)),
                fields=["tiltak", "-date", "-created_at", "-id"],
                include=("status", "vurdering"),
                name="statusmelding_current",
            ),
        ),
        migrations.AddConstraint(
            model_name="statusmelding",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("trukket_tilbake_begrunnelse", ""),
                        ("withdrawn_at__isnull", True),
                        ("withdrawn_by__isnull", True),
                    ),
                    models.Q(
                        ("withdrawn_at__isnull", False),
                        ("withdrawn_by__isnull", False),
                        models.Q(("trukket_tilbake_begrunnelse", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="statusmelding_withdrawal_complete",
            ),
        ),
        # Paaminnelse
        migrations.RemoveConstraint(model_name="paaminnelse", name="paaminnelse_once_per_period"),
        migrations.RenameField(model_name="paaminnelse", old_name="bruker", new_name="user"),
        migrations.RenameField(model_name="paaminnelse", old_name="sendt", new_name="sent_at"),
        migrations.AlterModelOptions(
            name="paaminnelse",
            options={"ordering": ["-sent_at"], "verbose_name": "reminder", "verbose_name_plural": "reminders"},
        ),
        migrations.AddConstraint(
            model_name="paaminnelse",
            constraint=models.UniqueConstraint(
                fields=("user", "handlingsprogram", "aar"), name="paaminnelse_once_per_period"
            ),
        ),
    ]
