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


# An ansvar's own source is its actor's; its enhet and rolle have their own (Ansvar.SOURCED_PARTS).
ANSVAR_KILDE_FIELDS = ("enhet", "rolle")


class AnsvarInline(admin.TabularInline):
    model = Ansvar
    fields = ["aktoer", "enhet", "rolle"]
    kilde_fields = ANSVAR_KILDE_FIELDS
    extra = 0
    autocomplete_fields = ["aktoer", "enhet"]


@admin.register(Tiltak)
class TiltakAdmin(programme_admin.PersonKildeAdminMixin, SimpleHistoryAdmin):
    kilde_relations = ("baerekraftsmaal", "maal")
    list_display = ["kode", "tekst_kort", "innsatsomraade"]
    list_display_links = ["tekst_kort"]
    list_filter = [
        "innsatsomraade__omraade__handlingsprogram",
        "innsatsomraade__omraade",
        "ansvar__aktoer",
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
class AnsvarAdmin(programme_admin.PersonKildeAdminMixin, SimpleHistoryAdmin):
    kilde_fields = ANSVAR_KILDE_FIELDS
    list_display = ["tiltak", "aktoer", "enhet", "rolle"]
    list_filter = ["rolle", "aktoer"]
    search_fields = ["tiltak__tekst", "aktoer__navn", "enhet__navn"]
    list_select_related = ["tiltak__innsatsomraade__omraade", "aktoer", "enhet__aktoer"]
    autocomplete_fields = ["aktoer", "enhet"]
