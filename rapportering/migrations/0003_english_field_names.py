# Hand-written: generic field names in English (issue 14). RenameField renames the columns in place; the
# autodetector would drop and re-add them and lose the data.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("rapportering", "0002_pdfgenerering"),
    ]

    operations = [
        migrations.RenameField(model_name="aarsrapport", old_name="fu_moetedato", new_name="fu_meeting_date"),
        migrations.RenameField(model_name="pdfgenerering", old_name="bestilt_av", new_name="requested_by"),
    ]
