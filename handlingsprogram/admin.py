from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from tiltak.models import Tiltak

from . import services
from .models import (
    Aktoer,
    ApiToken,
    Baerekraftsmaal,
    Enhet,
    EntraGruppe,
    Finansieringsprogram,
    Handlingsprogram,
    Innsatsomraade,
    Maal,
    PrioritertOmraade,
    Styringsdokument,
    User,
)


class PrioritertOmraadeInline(admin.TabularInline):
    model = PrioritertOmraade
    fields = ["nummer", "navn", "slug"]
    extra = 0
    show_change_link = True


@admin.register(Handlingsprogram)
class HandlingsprogramAdmin(admin.ModelAdmin):
    list_display = ["navn", "start_year", "end_year", "is_closed", "updated_at"]
    list_filter = ["is_closed"]
    search_fields = ["navn", "innledning"]
    prepopulated_fields = {"slug": ["navn"]}
    filter_horizontal = ["eiere", "styringsdokumenter"]
    inlines = [PrioritertOmraadeInline]


class InnsatsomraadeInline(admin.TabularInline):
    model = Innsatsomraade
    fields = ["nummer", "navn"]
    extra = 0
    show_change_link = True


@admin.register(PrioritertOmraade)
class PrioritertOmraadeAdmin(admin.ModelAdmin):
    list_display = ["nummer", "navn", "handlingsprogram"]
    list_display_links = ["navn"]
    list_filter = ["handlingsprogram"]
    search_fields = ["navn", "innledning"]
    prepopulated_fields = {"slug": ["navn"]}
    filter_horizontal = ["baerekraftsmaal", "maal"]
    inlines = [InnsatsomraadeInline]
    list_select_related = ["handlingsprogram"]


class TiltakInline(admin.StackedInline):
    model = Tiltak
    fields = ["nummer", "tekst"]
    extra = 0
    show_change_link = True


@admin.register(Innsatsomraade)
class InnsatsomraadeAdmin(admin.ModelAdmin):
    list_display = ["kode", "navn", "omraade"]
    list_display_links = ["navn"]
    list_filter = ["omraade__handlingsprogram", "omraade"]
    search_fields = ["navn"]
    ordering = ["omraade__handlingsprogram", "omraade__nummer", "nummer"]
    inlines = [TiltakInline]
    list_select_related = ["omraade"]

    @admin.display(description=_("code"), ordering="nummer")
    def kode(self, obj):
        return obj.kode


class EnhetInline(admin.TabularInline):
    model = Enhet
    fields = ["navn", "slug"]
    prepopulated_fields = {"slug": ["navn"]}
    extra = 0


@admin.register(Aktoer)
class AktoerAdmin(admin.ModelAdmin):
    list_display = ["navn", "kortnavn", "type"]
    list_filter = ["type"]
    search_fields = ["navn", "kortnavn"]
    prepopulated_fields = {"slug": ["navn"]}
    inlines = [EnhetInline]


@admin.register(Enhet)
class EnhetAdmin(admin.ModelAdmin):
    list_display = ["navn", "aktoer"]
    list_filter = ["aktoer"]
    search_fields = ["navn", "aktoer__navn"]
    prepopulated_fields = {"slug": ["navn"]}
    list_select_related = ["aktoer"]


@admin.register(Baerekraftsmaal)
class BaerekraftsmaalAdmin(admin.ModelAdmin):
    list_display = ["nummer", "navn"]
    list_display_links = ["navn"]
    search_fields = ["navn"]


class MaalInline(admin.StackedInline):
    model = Maal
    fields = ["nummer", "type", "tekst"]
    extra = 0


@admin.register(Styringsdokument)
class StyringsdokumentAdmin(admin.ModelAdmin):
    list_display = ["tittel", "type", "periode", "rekkefoelge"]
    list_editable = ["rekkefoelge"]
    list_filter = ["type"]
    search_fields = ["tittel", "maal__tekst"]
    prepopulated_fields = {"slug": ["tittel"]}
    inlines = [MaalInline]


@admin.register(Maal)
class MaalAdmin(admin.ModelAdmin):
    list_display = ["tekst", "styringsdokument", "type"]
    list_filter = ["type", "styringsdokument"]
    search_fields = ["tekst"]
    list_select_related = ["styringsdokument"]


@admin.register(Finansieringsprogram)
class FinansieringsprogramAdmin(admin.ModelAdmin):
    list_display = ["navn", "forelder", "periode_start", "periode_slutt", "budsjett", "budsjett_valuta", "rekkefoelge"]
    list_editable = ["rekkefoelge"]
    list_filter = ["forelder"]
    search_fields = ["navn", "beskrivelse"]
    prepopulated_fields = {"slug": ["navn"]}
    list_select_related = ["forelder"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "rolle", "enhet", "is_active"]
    list_filter = ["rolle", "enhet__aktoer", "is_active"]
    list_select_related = ["enhet__aktoer"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Portal"), {"fields": ["rolle", "enhet"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Portal"), {"fields": ["rolle", "enhet"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Coordinators manage staff accounts but cannot hand out superuser powers or raw permissions.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["is_superuser", "is_staff", "user_permissions", "groups", "last_login", "date_joined"]


# Access follows the portal role (User.rolle), not Django groups; an unused groups page would only confuse.
admin.site.unregister(Group)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Coordinators give partners API keys here. The key is shown once, in the message after saving; only
    its hash is stored, so a lost key is revoked and replaced, never looked up."""

    list_display = ["navn", "aktoer", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["navn", "prefix", "aktoer__navn"]
    autocomplete_fields = ["aktoer"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_delete_permission(self, request, obj=None):
        return False  # revoked tokens stay, so the record of who had access remains

    def get_fields(self, request, obj=None):
        return ["navn", "aktoer"] if obj is None else ["navn", "aktoer", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, key = services.api_token_create(navn=obj.navn, aktoer=obj.aktoer, created_by=request.user)
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = token.pk, token.prefix, token.key_hash, token.created_at
        messages.warning(
            request,
            _("The key for %(name)s is %(key)s — copy it now: it is not stored and cannot be shown again.")
            % {"name": token.navn, "key": key},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.active():
            token.revoke()
            count += 1
        messages.success(request, _("Revoked %(count)s token(s).") % {"count": count})


@admin.register(EntraGruppe)
class EntraGruppeAdmin(admin.ModelAdmin):
    """Which Entra ID groups give access, with which role and unit (read at every Entra ID login)."""

    list_display = ["navn", "gruppe_id", "rolle", "enhet"]
    list_filter = ["rolle"]
    list_select_related = ["enhet__aktoer"]
    search_fields = ["navn", "gruppe_id"]
    autocomplete_fields = ["enhet"]
