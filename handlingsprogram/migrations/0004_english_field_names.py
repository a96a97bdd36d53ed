# Hand-written: generic field names in English (issue 14). RenameField renames the columns in place; the
# autodetector would drop and re-add them and lose the data. The constraint that names the fields is dropped before
# and added back after, because RenameField does not rewrite constraints in the migration state.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("handlingsprogram", "0003_entragruppe"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="finansieringsprogram", name="finansieringsprogram_period_order"),
        migrations.RenameField(model_name="finansieringsprogram", old_name="periode_start", new_name="period_start"),
        migrations.RenameField(model_name="finansieringsprogram", old_name="periode_slutt", new_name="period_end"),
        migrations.AddConstraint(
            model_name="finansieringsprogram",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("period_start__isnull", True),
                    ("period_end__isnull", True),
                    ("period_end__gte", models.F("period_start")),
                    _connector="OR",
                ),
                name="finansieringsprogram_period_order",
            ),
        ),
    ]
