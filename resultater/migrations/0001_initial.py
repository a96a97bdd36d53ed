"""The results app takes over the results' models from tiltak (tiltak 0006 drops them from its state): the
models enter this app's state as they were, and their tables are renamed from tiltak_* to resultater_* in place.
tests/resultater/test_move_migration.py migrates a database filled before the move and finds every row."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# Every table the results had in tiltak, history and many-to-many tables included, renamed in place (ALTER TABLE
# ... RENAME: no copy, every row, index and constraint stays).
TABLES = [
    "indikator",
    "indikatorverdi",
    "prosjekt",
    "prosjekt_aktoerer",
    "prosjekt_tiltak",
    "prosjektimport",
    "valutakurs",
    "historicalindikator",
    "historicalindikatorverdi",
    "historicalprosjekt",
    "historicalprosjekt_aktoerer",
    "historicalprosjekt_tiltak",
    "historicalvalutakurs",
]


def rename_tables(old_app, new_app):
    def rename(apps, schema_editor):
        for name in TABLES:
            schema_editor.alter_db_table(None, f"{old_app}_{name}", f"{new_app}_{name}")

    return rename


def move_content_types(old_app, new_app):
    """The content types keep their ids, so the admin's log, the permissions given to groups and users, and
    anything else that points at them still do (auto-created many-to-many tables have none)."""

    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        ContentType.objects.using(schema_editor.connection.alias).filter(
            app_label=old_app, model__in=TABLES
        ).update(app_label=new_app)

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('handlingsprogram', '0003_entragruppe'),
        ('tiltak', '0006_results_moved_to_resultater'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(rename_tables("tiltak", "resultater"), rename_tables("resultater", "tiltak")),
            ],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalIndikator',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('navn', models.CharField(max_length=200, verbose_name='name')),
                        ('beskrivelse', models.TextField(blank=True, verbose_name='description')),
                        ('maaleenhet', models.CharField(choices=[('EUR', 'EUR'), ('NOK', 'NOK'), ('antall', 'number'), ('prosent', 'per cent')], max_length=10, verbose_name='unit of measure')),
                        ('retning', models.CharField(choices=[('hoeyere', 'Higher is better'), ('lavere', 'Lower is better')], default='hoeyere', max_length=10, verbose_name='direction')),
                        ('basis_verdi', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='baseline value')),
                        ('basis_aar', models.PositiveSmallIntegerField(verbose_name='baseline year')),
                        ('basis_kilde', models.CharField(max_length=500, verbose_name='baseline source')),
                        ('maal_verdi', models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, verbose_name='target value')),
                        ('maal_aar', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='target year')),
                        ('rekkefoelge', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('omraade', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handlingsprogram.prioritertomraade', verbose_name='priority area')),
                        ('tiltak', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tiltak.tiltak', verbose_name='measure')),
                    ],
                    options={
                        'verbose_name': 'historical indicator',
                        'verbose_name_plural': 'historical indicators',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalProsjekt',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('ekstern_id', models.CharField(db_index=True, help_text="The funding programme's project or grant agreement number. Imports match rows by it.", max_length=100, verbose_name='project number')),
                        ('navn', models.CharField(max_length=300, verbose_name='name')),
                        ('akronym', models.CharField(blank=True, max_length=50, verbose_name='acronym')),
                        ('utlysning', models.CharField(blank=True, help_text='E.g. «KA1 mobility in VET».', max_length=200, verbose_name='sub-programme or call')),
                        ('rolle', models.CharField(choices=[('koordinator', 'Lead partner'), ('partner', 'Partner'), ('assosiert', 'Associated partner')], max_length=20, verbose_name="Trøndelag's role")),
                        ('startdato', models.DateField(verbose_name='start')),
                        ('sluttdato', models.DateField(verbose_name='end')),
                        ('status', models.CharField(choices=[('soekt', 'Applied'), ('innvilget', 'Granted'), ('avsluttet', 'Completed'), ('avslaatt', 'Rejected')], max_length=20, verbose_name='status')),
                        ('totalbudsjett', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='total budget')),
                        ('innvilget_trondelag', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='granted to Trøndelag partners')),
                        ('valuta', models.CharField(choices=[('NOK', 'NOK'), ('EUR', 'EUR'), ('SEK', 'SEK'), ('DKK', 'DKK'), ('USD', 'USD'), ('GBP', 'GBP'), ('ISK', 'ISK')], max_length=3, verbose_name='currency')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('finansieringsprogram', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handlingsprogram.finansieringsprogram', verbose_name='funding programme')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical project',
                        'verbose_name_plural': 'historical projects',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalValutakurs',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('aar', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('valuta', models.CharField(choices=[('NOK', 'NOK'), ('EUR', 'EUR'), ('SEK', 'SEK'), ('DKK', 'DKK'), ('USD', 'USD'), ('GBP', 'GBP'), ('ISK', 'ISK')], max_length=3, verbose_name='currency')),
                        ('kurs', models.DecimalField(decimal_places=4, max_digits=12, verbose_name='rate (NOK per unit)')),
                        ('kilde', models.CharField(blank=True, max_length=300, verbose_name='source')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical exchange rate',
                        'verbose_name_plural': 'historical exchange rates',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Indikator',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated')),
                        ('navn', models.CharField(max_length=200, verbose_name='name')),
                        ('beskrivelse', models.TextField(blank=True, verbose_name='description')),
                        ('maaleenhet', models.CharField(choices=[('EUR', 'EUR'), ('NOK', 'NOK'), ('antall', 'number'), ('prosent', 'per cent')], max_length=10, verbose_name='unit of measure')),
                        ('retning', models.CharField(choices=[('hoeyere', 'Higher is better'), ('lavere', 'Lower is better')], default='hoeyere', max_length=10, verbose_name='direction')),
                        ('basis_verdi', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='baseline value')),
                        ('basis_aar', models.PositiveSmallIntegerField(verbose_name='baseline year')),
                        ('basis_kilde', models.CharField(max_length=500, verbose_name='baseline source')),
                        ('maal_verdi', models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, verbose_name='target value')),
                        ('maal_aar', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='target year')),
                        ('rekkefoelge', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('omraade', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='indikatorer', to='handlingsprogram.prioritertomraade', verbose_name='priority area')),
                        ('tiltak', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='indikatorer', to='tiltak.tiltak', verbose_name='measure')),
                    ],
                    options={
                        'verbose_name': 'indicator',
                        'verbose_name_plural': 'indicators',
                        'ordering': ['rekkefoelge', 'navn', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalIndikatorverdi',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('aar', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('verdi', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='value')),
                        ('kilde', models.CharField(max_length=500, verbose_name='source')),
                        ('kommentar', models.TextField(blank=True, verbose_name='comment')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('registrert_av', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('indikator', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='resultater.indikator', verbose_name='indicator')),
                    ],
                    options={
                        'verbose_name': 'historical indicator value',
                        'verbose_name_plural': 'historical indicator values',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Indikatorverdi',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('aar', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('verdi', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='value')),
                        ('kilde', models.CharField(max_length=500, verbose_name='source')),
                        ('kommentar', models.TextField(blank=True, verbose_name='comment')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated')),
                        ('indikator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='verdier', to='resultater.indikator', verbose_name='indicator')),
                        ('registrert_av', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ],
                    options={
                        'verbose_name': 'indicator value',
                        'verbose_name_plural': 'indicator values',
                        'ordering': ['indikator', 'aar'],
                    },
                ),
                migrations.CreateModel(
                    name='Prosjekt',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated')),
                        ('ekstern_id', models.CharField(help_text="The funding programme's project or grant agreement number. Imports match rows by it.", max_length=100, unique=True, verbose_name='project number')),
                        ('navn', models.CharField(max_length=300, verbose_name='name')),
                        ('akronym', models.CharField(blank=True, max_length=50, verbose_name='acronym')),
                        ('utlysning', models.CharField(blank=True, help_text='E.g. «KA1 mobility in VET».', max_length=200, verbose_name='sub-programme or call')),
                        ('rolle', models.CharField(choices=[('koordinator', 'Lead partner'), ('partner', 'Partner'), ('assosiert', 'Associated partner')], max_length=20, verbose_name="Trøndelag's role")),
                        ('startdato', models.DateField(verbose_name='start')),
                        ('sluttdato', models.DateField(verbose_name='end')),
                        ('status', models.CharField(choices=[('soekt', 'Applied'), ('innvilget', 'Granted'), ('avsluttet', 'Completed'), ('avslaatt', 'Rejected')], max_length=20, verbose_name='status')),
                        ('totalbudsjett', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='total budget')),
                        ('innvilget_trondelag', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='granted to Trøndelag partners')),
                        ('valuta', models.CharField(choices=[('NOK', 'NOK'), ('EUR', 'EUR'), ('SEK', 'SEK'), ('DKK', 'DKK'), ('USD', 'USD'), ('GBP', 'GBP'), ('ISK', 'ISK')], max_length=3, verbose_name='currency')),
                        ('aktoerer', models.ManyToManyField(blank=True, related_name='prosjekter', to='handlingsprogram.aktoer', verbose_name='Trøndelag organisations')),
                        ('finansieringsprogram', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='prosjekter', to='handlingsprogram.finansieringsprogram', verbose_name='funding programme')),
                        ('tiltak', models.ManyToManyField(blank=True, related_name='prosjekter', to='tiltak.tiltak', verbose_name='measures')),
                    ],
                    options={
                        'verbose_name': 'project',
                        'verbose_name_plural': 'projects',
                        'ordering': ['-startdato', 'navn', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalProsjekt_tiltak',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='resultater.historicalprosjekt')),
                        ('tiltak', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tiltak.tiltak')),
                        ('prosjekt', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='resultater.prosjekt')),
                    ],
                    options={
                        'verbose_name': 'HistoricalProsjekt_tiltak',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalProsjekt_aktoerer',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('aktoer', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handlingsprogram.aktoer')),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='resultater.historicalprosjekt')),
                        ('prosjekt', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='resultater.prosjekt')),
                    ],
                    options={
                        'verbose_name': 'HistoricalProsjekt_aktoerer',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ProsjektImport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('fil', models.BinaryField(verbose_name='file')),
                        ('filnavn', models.CharField(max_length=255, verbose_name='file name')),
                        ('rader', models.JSONField(editable=False, null=True, verbose_name='rows')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                        ('importert', models.DateTimeField(blank=True, null=True, verbose_name='imported')),
                        ('antall_opprettet', models.PositiveIntegerField(default=0, verbose_name='created')),
                        ('antall_oppdatert', models.PositiveIntegerField(default=0, verbose_name='updated')),
                        ('antall_uendret', models.PositiveIntegerField(default=0, verbose_name='unchanged')),
                        ('opprettet_av', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                    ],
                    options={
                        'verbose_name': 'project import',
                        'verbose_name_plural': 'project imports',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Valutakurs',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated')),
                        ('aar', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('valuta', models.CharField(choices=[('NOK', 'NOK'), ('EUR', 'EUR'), ('SEK', 'SEK'), ('DKK', 'DKK'), ('USD', 'USD'), ('GBP', 'GBP'), ('ISK', 'ISK')], max_length=3, verbose_name='currency')),
                        ('kurs', models.DecimalField(decimal_places=4, max_digits=12, verbose_name='rate (NOK per unit)')),
                        ('kilde', models.CharField(blank=True, max_length=300, verbose_name='source')),
                    ],
                    options={
                        'verbose_name': 'exchange rate',
                        'verbose_name_plural': 'exchange rates',
                        'ordering': ['-aar', 'valuta'],
                        'constraints': [models.UniqueConstraint(fields=('aar', 'valuta'), name='valutakurs_one_per_year'), models.CheckConstraint(condition=models.Q(('kurs__gt', 0)), name='valutakurs_positive'), models.CheckConstraint(condition=models.Q(('valuta', 'NOK'), _negated=True), name='valutakurs_not_nok')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='indikator',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('omraade__isnull', True), ('tiltak__isnull', False)), models.Q(('omraade__isnull', False), ('tiltak__isnull', True)), _connector='OR'), name='indikator_one_owner'),
                ),
                migrations.AddConstraint(
                    model_name='indikator',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('maal_aar__isnull', True), ('maal_verdi__isnull', True)), models.Q(('maal_aar__isnull', False), ('maal_verdi__isnull', False)), _connector='OR'), name='indikator_target_complete'),
                ),
                migrations.AddConstraint(
                    model_name='indikatorverdi',
                    constraint=models.UniqueConstraint(fields=('indikator', 'aar'), name='indikatorverdi_one_per_year'),
                ),
                migrations.AddConstraint(
                    model_name='prosjekt',
                    constraint=models.CheckConstraint(condition=models.Q(('sluttdato__gte', models.F('startdato'))), name='prosjekt_period_order'),
                ),
                migrations.AddConstraint(
                    model_name='prosjekt',
                    constraint=models.CheckConstraint(condition=models.Q(('innvilget_trondelag__gte', 0), ('innvilget_trondelag__lte', models.F('totalbudsjett'))), name='prosjekt_grant_within_budget'),
                ),
            ],
        ),
        migrations.RunPython(
            move_content_types("tiltak", "resultater"), move_content_types("resultater", "tiltak")
        ),
    ]
