from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from handlingsprogram.admin import PersonKildeAdminMixin

from .models import Deltagelse, Medlemskap, Nettverk


class MedlemskapInline(admin.TabularInline):
    model = Medlemskap
    fields = ["aktoer", "enhet", "rolle", "nivaa", "start_date", "end_date", "representanter", "merknad"]
    extra = 0
    autocomplete_fields = ["aktoer", "enhet"]
    kilde_fields = ("nivaa",)


@admin.register(Nettverk)
class NettverkAdmin(PersonKildeAdminMixin, admin.ModelAdmin):
    kilde_relations = ("omraader", "tiltak")
    list_display = ["navn", "forelder", "type", "geografi", "rekkefoelge"]
    list_editable = ["rekkefoelge"]
    list_filter = ["type", "geografi", "omraader"]
    search_fields = ["navn", "kortnavn", "beskrivelse"]
    prepopulated_fields = {"slug": ["navn"]}
    autocomplete_fields = ["forelder"]
    filter_horizontal = ["omraader", "tiltak"]
    inlines = [MedlemskapInline]
    list_select_related = ["forelder"]


@admin.register(Medlemskap)
class MedlemskapAdmin(PersonKildeAdminMixin, admin.ModelAdmin):
    kilde_fields = ("nivaa",)
    list_display = ["nettverk", "aktoer", "rolle", "nivaa", "start_date", "end_date"]
    list_filter = ["rolle", "nivaa", "aktoer"]
    search_fields = ["nettverk__navn", "aktoer__navn", "representanter"]
    list_select_related = ["nettverk", "aktoer"]
    autocomplete_fields = ["nettverk", "aktoer", "enhet"]


@admin.register(Deltagelse)
class DeltagelseAdmin(SimpleHistoryAdmin):
    """For looking up and correcting; staff register and report in the portal. Every change is in the history."""

    list_display = ["tittel", "nettverk", "start", "nivaa", "status", "created_by"]
    list_filter = ["status", "nivaa", "type", "nettverk"]
    search_fields = ["tittel", "sted", "referat", "nettverk__navn"]
    date_hierarchy = "start"
    list_select_related = ["nettverk", "created_by"]
    autocomplete_fields = ["nettverk", "created_by"]
    filter_horizontal = ["deltakere", "tiltak"]
    readonly_fields = ["reported_at"]
