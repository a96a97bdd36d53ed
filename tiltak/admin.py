from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from handlingsprogram import admin as programme_admin
from handlingsprogram.models import Innsatsomraade

from .models import Ansvar, Oppfoelgingsforespoersel, Rapporteringsrunde, StatusmeldingVedlegg, Tiltak


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


class RecordAdmin(SimpleHistoryAdmin):
    """For looking up what happened, with its audit history: these rows are written in the portal (where the
    notifications go out and the rules hold), never added or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rapporteringsrunde)
class RapporteringsrundeAdmin(RecordAdmin):
    """A round's name and deadline can be corrected (the change is in the history); it is opened and closed on the
    portal's round pages."""

    list_display = ["navn", "handlingsprogram", "aar", "frist", "opened_at", "closed_at", "demo"]
    list_filter = ["handlingsprogram", "aar", "closed_at"]
    search_fields = ["navn"]
    list_select_related = ["handlingsprogram"]
    fields = ["navn", "frist", "handlingsprogram", "aar", "opened_by", "opened_at", "closed_by", "closed_at", "demo"]
    readonly_fields = ["handlingsprogram", "aar", "opened_by", "opened_at", "closed_by", "closed_at", "demo"]


@admin.register(Oppfoelgingsforespoersel)
class OppfoelgingsforespoerselAdmin(RecordAdmin):
    """Read-only: a request and its answer are the record of the follow-up."""

    list_display = ["__str__", "tiltak", "asked_by", "asked_at", "answered_at", "demo"]
    list_filter = ["answered_at", "tiltak__innsatsomraade__omraade__handlingsprogram"]
    search_fields = ["melding", "svar", "asked_by__username"]
    list_select_related = ["tiltak__innsatsomraade__omraade", "asked_by"]
    readonly_fields = [f.name for f in Oppfoelgingsforespoersel._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StatusmeldingVedlegg)
class StatusmeldingVedleggAdmin(RecordAdmin):
    """Read-only: a document attached to a status report is part of the record (download it from the measure's
    page)."""

    list_display = ["navn", "statusmelding", "type", "stoerrelse", "uploaded_by", "created_at"]
    list_filter = ["type"]
    search_fields = ["navn"]
    list_select_related = ["statusmelding__tiltak__innsatsomraade__omraade", "uploaded_by"]
    readonly_fields = [f.name for f in StatusmeldingVedlegg._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False
