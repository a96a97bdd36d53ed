from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from handlingsprogram import admin as programme_admin
from handlingsprogram.models import Innsatsomraade

from .models import Ansvar, Tiltak


class TiltakInline(admin.StackedInline):
    model = Tiltak
    fields = ["nummer", "tekst"]
    extra = 0
    show_change_link = True


# An innsatsområde's admin page lists its tiltak. The programme app's admin cannot import tiltak (the layers run
# the other way), so its InnsatsomraadeAdmin is registered again here with the tiltak inline added.
admin.site.unregister(Innsatsomraade)


@admin.register(Innsatsomraade)
class InnsatsomraadeAdmin(programme_admin.InnsatsomraadeAdmin):
    inlines = [*programme_admin.InnsatsomraadeAdmin.inlines, TiltakInline]


class AnsvarInline(admin.TabularInline):
    model = Ansvar
    fields = ["aktoer", "enhet", "rolle", "utledet", "begrunnelse"]
    extra = 0
    autocomplete_fields = ["aktoer", "enhet"]


@admin.register(Tiltak)
class TiltakAdmin(SimpleHistoryAdmin):
    list_display = ["kode", "tekst_kort", "innsatsomraade"]
    list_display_links = ["tekst_kort"]
    list_filter = [
        "innsatsomraade__omraade__handlingsprogram",
        "innsatsomraade__omraade",
        "ansvar__aktoer",
        "ansvar__utledet",
        "baerekraftsmaal",
    ]
    search_fields = ["tekst", "innsatsomraade__navn"]
    filter_horizontal = ["baerekraftsmaal", "maal"]
    inlines = [AnsvarInline]
    list_select_related = ["innsatsomraade__omraade__handlingsprogram"]
    ordering = [
        "innsatsomraade__omraade__handlingsprogram",
        "innsatsomraade__omraade__nummer",
        "innsatsomraade__nummer",
        "nummer",
    ]

    @admin.display(description=_("code"))
    def kode(self, obj):
        return obj.kode

    @admin.display(description=_("text"))
    def tekst_kort(self, obj):
        return obj.tekst if len(obj.tekst) <= 100 else f"{obj.tekst[:100]}…"


@admin.register(Ansvar)
class AnsvarAdmin(SimpleHistoryAdmin):
    list_display = ["tiltak", "aktoer", "enhet", "rolle", "utledet"]
    list_filter = ["rolle", "utledet", "aktoer"]
    search_fields = ["tiltak__tekst", "aktoer__navn", "enhet__navn", "begrunnelse"]
    list_select_related = ["tiltak__innsatsomraade__omraade", "aktoer", "enhet__aktoer"]
    autocomplete_fields = ["aktoer", "enhet"]
