"""Annual reports in the admin: to look up, never to change. Drafting, approval and reopening go through the
portal's pages and services, which freeze the data and the PDF; an admin edit would bypass that."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    Aarsrapport,
    Omraadevurdering,
    PdfGenerering,
    Sluttevaluering,
    SluttevalueringOmraade,
    SluttevalueringTiltak,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OmraadevurderingInline(ReadOnlyMixin, admin.TabularInline):
    model = Omraadevurdering
    fields = ["omraade", "tekst"]
    extra = 0


@admin.register(Aarsrapport)
class AarsrapportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["handlingsprogram", "aar", "versjon", "status", "approved_at", "approved_by", "portal_link"]
    list_filter = ["status", "handlingsprogram", "aar"]
    list_select_related = ["handlingsprogram", "approved_by"]
    search_fields = ["sammendrag", "endrede_forutsetninger", "fu_saksnummer"]
    exclude = ["frozen_content"]
    inlines = [OmraadevurderingInline]

    @admin.display(description=_("In the portal"))
    def portal_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Open"))


@admin.register(PdfGenerering)
class PdfGenereringAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "aarsrapport",
        "sluttevaluering",
        "formaal",
        "status",
        "steg",
        "sider",
        "requested_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "formaal"]
    list_select_related = ["aarsrapport__handlingsprogram", "sluttevaluering__handlingsprogram", "requested_by"]
    date_hierarchy = "created_at"


class SluttevalueringOmraadeInline(ReadOnlyMixin, admin.TabularInline):
    model = SluttevalueringOmraade
    fields = ["omraade", "text"]
    extra = 0


class SluttevalueringTiltakInline(ReadOnlyMixin, admin.TabularInline):
    model = SluttevalueringTiltak
    fields = ["tiltak", "recommendation", "comment"]
    extra = 0


@admin.register(Sluttevaluering)
class SluttevalueringAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Final evaluations: to look up, never to change (approval freezes them through the portal's pages)."""

    list_display = ["handlingsprogram", "versjon", "status", "approved_at", "approved_by", "portal_link"]
    list_filter = ["status", "handlingsprogram"]
    list_select_related = ["handlingsprogram", "approved_by"]
    exclude = ["frozen_content"]
    inlines = [SluttevalueringOmraadeInline, SluttevalueringTiltakInline]

    @admin.display(description=_("In the portal"))
    def portal_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Open"))
