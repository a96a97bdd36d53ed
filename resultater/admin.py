from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Indikator, Indikatorverdi, Prosjekt, ProsjektImport, Valutakurs


class LookUpAndDeleteMixin:
    """Results in the admin: to look up and, for a mistake, to delete (simple_history records the deletion).
    Creating and changing go through the portal's forms and services, where the rules per unit, year and
    currency are; an admin form would bypass them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class IndikatorverdiInline(LookUpAndDeleteMixin, admin.TabularInline):
    model = Indikatorverdi
    fields = ["aar", "verdi", "kilde", "kommentar", "created_by", "updated_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Indikator)
class IndikatorAdmin(LookUpAndDeleteMixin, SimpleHistoryAdmin):
    list_display = ["navn", "tiltak", "omraade", "maaleenhet", "basis_verdi", "basis_aar", "maal_verdi", "maal_aar"]
    list_filter = ["maaleenhet", "retning", "omraade", "tiltak__innsatsomraade__omraade"]
    search_fields = ["navn", "beskrivelse", "basis_kilde"]
    list_select_related = ["tiltak__innsatsomraade__omraade", "omraade"]
    inlines = [IndikatorverdiInline]


@admin.register(Prosjekt)
class ProsjektAdmin(LookUpAndDeleteMixin, SimpleHistoryAdmin):
    list_display = [
        "ekstern_id",
        "navn",
        "finansieringsprogram",
        "status",
        "start_date",
        "innvilget_trondelag",
        "valuta",
    ]
    list_filter = ["status", "rolle", "valuta", "finansieringsprogram"]
    search_fields = ["ekstern_id", "navn", "akronym", "utlysning"]
    list_select_related = ["finansieringsprogram"]
    date_hierarchy = "start_date"


@admin.register(Valutakurs)
class ValutakursAdmin(LookUpAndDeleteMixin, SimpleHistoryAdmin):
    list_display = ["aar", "valuta", "kurs", "kilde"]
    list_filter = ["valuta", "aar"]


@admin.register(ProsjektImport)
class ProsjektImportAdmin(LookUpAndDeleteMixin, admin.ModelAdmin):
    list_display = ["filnavn", "created_by", "created_at", "imported_at", "antall_opprettet", "antall_oppdatert"]
    list_filter = ["imported_at"]
    exclude = ["fil"]  # the spreadsheet's bytes; its outcome is what matters here
    list_select_related = ["created_by"]
