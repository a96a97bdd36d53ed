from django.contrib import admin

from .models import Medlemskap, Nettverk


class MedlemskapInline(admin.TabularInline):
    model = Medlemskap
    fields = ["aktoer", "enhet", "rolle", "nivaa", "fra_dato", "til_dato", "representanter", "merknad"]
    extra = 0
    autocomplete_fields = ["aktoer", "enhet"]


@admin.register(Nettverk)
class NettverkAdmin(admin.ModelAdmin):
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
class MedlemskapAdmin(admin.ModelAdmin):
    list_display = ["nettverk", "aktoer", "rolle", "nivaa", "fra_dato", "til_dato"]
    list_filter = ["rolle", "nivaa", "aktoer"]
    search_fields = ["nettverk__navn", "aktoer__navn", "representanter"]
    list_select_related = ["nettverk", "aktoer"]
    autocomplete_fields = ["nettverk", "aktoer", "enhet"]
