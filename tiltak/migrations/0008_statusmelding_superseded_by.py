"""Corrections supersede what they correct (issue 15): superseded_by on the corrected report, a reason for the
correction, and the partial index of the reports that count now leaves superseded ones out."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def mark_corrected_reports(apps, schema_editor):
    """Reports corrected before this migration no longer count. Where one report was corrected more than once,
    each correction superseded the one before it, so only the newest counts."""
    Statusmelding = apps.get_model("tiltak", "Statusmelding")
    chains: dict[int, list[int]] = {}
    for corrected_id, correction_id in (
        Statusmelding.objects.filter(korrigerer__isnull=False, withdrawn_at__isnull=True)
        .order_by("korrigerer_id", "created_at", "id")
        .values_list("korrigerer_id", "id")
    ):
        chains.setdefault(corrected_id, [corrected_id]).append(correction_id)
    for chain in chains.values():
        for earlier, later in zip(chain, chain[1:]):
            Statusmelding.objects.filter(pk=earlier).update(superseded_by_id=later)


class Migration(migrations.Migration):

    dependencies = [
        ('tiltak', '0007_english_field_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='statusmelding',
            name='statusmelding_current',
        ),
        migrations.AddField(
            model_name='historicalstatusmelding',
            name='correction_reason',
            field=models.CharField(blank=True, max_length=500, verbose_name='reason for the correction'),
        ),
        migrations.AddField(
            model_name='historicalstatusmelding',
            name='superseded_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tiltak.statusmelding', verbose_name='superseded by'),
        ),
        migrations.AddField(
            model_name='statusmelding',
            name='correction_reason',
            field=models.CharField(blank=True, max_length=500, verbose_name='reason for the correction'),
        ),
        migrations.AddField(
            model_name='statusmelding',
            name='superseded_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tiltak.statusmelding', verbose_name='superseded by'),
        ),
        migrations.RunPython(mark_corrected_reports, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='statusmelding',
            index=models.Index(condition=models.Q(('superseded_by__isnull', True), ('withdrawn_at__isnull', True)), fields=['tiltak', '-date', '-created_at', '-id'], include=('status', 'vurdering'), name='statusmelding_current'),
        ),
        migrations.AddConstraint(
            model_name='statusmelding',
            constraint=models.CheckConstraint(condition=models.Q(('superseded_by', models.F('pk')), _negated=True), name='statusmelding_not_own_successor'),
        ),
    ]
