from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from simple_history.admin import SimpleHistoryAdmin

from . import permissions, services
from .models import (
    Aktoer,
    ApiToken,
    Baerekraftsmaal,
    Enhet,
    EntraGruppe,
    Finansieringsprogram,
    Handlingsprogram,
    HasKilder,
    Innsatsomraade,
    Kommentar,
    Maal,
    PrioritertOmraade,
    Programtekst,
    Styringsdokument,
    User,
)


class PersonKildeAdminMixin:
    """A programme fact a person adds or changes in the admin is from then on sourced to that person (who, when):
    the row (when a field outside ``kilde_fields`` and the relations changed), each of ``kilde_fields`` that
    changed, and each link added to one of ``kilde_relations``; a removed link or emptied field loses its source.
    Rows saved through inlines of a HasKilder model are handled the same way (their admin's ``kilde_fields`` are
    looked up on the inline as ``kilde_fields`` too)."""

    kilde_fields: tuple[str, ...] = ()
    kilde_relations: tuple[str, ...] = ()

    def _kilder_record(self, request, obj, changed: set[str] | None, kilde_fields) -> None:
        if not isinstance(obj, HasKilder):
            return
        row_fields = None if changed is None else changed - set(kilde_fields) - set(self.kilde_relations)
        if row_fields is None or row_fields:
            services.kilde_person_record(fact=obj, user=request.user)
        for name in kilde_fields:
            if changed is not None and name not in changed:
                continue
            if getattr(obj, f"{obj._meta.get_field(name).attname}") in (None, ""):
                services.kilde_forget(fact=obj, user=request.user, field_name=name)
            else:
                services.kilde_person_record(fact=obj, user=request.user, field_name=name)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._kilder_record(request, obj, set(form.changed_data) if change else None, self.kilde_fields)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        before = {name: set(getattr(obj, name).values_list("pk", flat=True)) for name in self.kilde_relations}
        super().save_related(request, form, formsets, change)
        for name in self.kilde_relations:
            after = set(getattr(obj, name).values_list("pk", flat=True))
            for pk in after - before[name]:
                services.kilde_person_record(fact=obj, user=request.user, field_name=name, related_id=pk)
            for pk in before[name] - after:
                services.kilde_forget(fact=obj, user=request.user, field_name=name, related_id=pk)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        kilde_fields = getattr(formset, "kilde_fields", ())
        for obj in formset.new_objects:
            self._kilder_record(request, obj, None, kilde_fields)
        for obj, changed in formset.changed_objects:
            self._kilder_record(request, obj, set(changed), kilde_fields)

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            formset.kilde_fields = getattr(inline, "kilde_fields", ())
            yield formset, inline


class PrioritertOmraadeInline(admin.TabularInline):
    model = PrioritertOmraade
    fields = ["nummer", "navn", "slug"]
    extra = 0
    show_change_link = True


@admin.register(Kommentar)
class KommentarAdmin(SimpleHistoryAdmin):
    """Read-only: comments are written and hidden on the entries' pages, and never deleted; the history shows
    every version of the text and who hid one, and why."""

    list_display = ("__str__", "concerns", "hidden_at")
    list_filter = ("content_type",)
    list_select_related = ("author", "content_type")
    search_fields = ("tekst", "author__username")
    fields = readonly_fields = [
        "concerns",
        "tekst",
        "author",
        "created_at",
        "edited_at",
        "hidden_at",
        "hidden_by",
        "hidden_reason",
    ]

    @admin.display(description=_("concerns"))
    def concerns(self, obj):
        """The kind of entry and its number (the raw generic relation's columns have no Norwegian names)."""
        return f"{obj.content_type.name} {obj.object_id}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Handlingsprogram)
class HandlingsprogramAdmin(admin.ModelAdmin):
    list_display = ["navn", "start_year", "end_year", "state", "is_closed", "updated_at"]
    list_filter = ["state", "is_closed"]
    # A programme is adopted (and its predecessor closed) through the portal's rollover pages, in one step.
    readonly_fields = ["state", "adopted_on", "case_number"]
    search_fields = ["navn", "innledning"]
    prepopulated_fields = {"slug": ["navn"]}
    filter_horizontal = ["eiere", "styringsdokumenter"]
    inlines = [PrioritertOmraadeInline]


class InnsatsomraadeInline(admin.TabularInline):
    model = Innsatsomraade
    fields = ["nummer", "navn", "navn_oversikt"]
    extra = 0
    show_change_link = True


@admin.register(PrioritertOmraade)
class PrioritertOmraadeAdmin(PersonKildeAdminMixin, admin.ModelAdmin):
    kilde_relations = ("baerekraftsmaal", "maal")
    list_display = ["nummer", "navn", "handlingsprogram"]
    list_display_links = ["navn"]
    list_filter = ["handlingsprogram"]
    search_fields = ["navn", "innledning"]
    prepopulated_fields = {"slug": ["navn"]}
    filter_horizontal = ["baerekraftsmaal", "maal"]
    inlines = [InnsatsomraadeInline]
    list_select_related = ["handlingsprogram"]


@admin.register(Innsatsomraade)
class InnsatsomraadeAdmin(admin.ModelAdmin):
    list_display = ["kode", "navn", "navn_oversikt", "omraade"]
    list_display_links = ["navn"]
    list_filter = ["omraade__handlingsprogram", "omraade"]
    search_fields = ["navn", "navn_oversikt"]
    ordering = ["omraade__handlingsprogram", "omraade__nummer", "nummer"]
    # tiltak/admin.py registers this again with the innsatsområde's tiltak inline (this app cannot import tiltak).
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
    list_display = ["navn", "forelder", "period_start", "period_end", "budsjett", "budsjett_valuta", "rekkefoelge"]
    list_editable = ["rekkefoelge"]
    list_filter = ["forelder"]
    search_fields = ["navn", "beskrivelse"]
    prepopulated_fields = {"slug": ["navn"]}
    list_select_related = ["forelder"]


@admin.register(Programtekst)
class ProgramtekstAdmin(admin.ModelAdmin):
    """The programme document as adopted, to look up: its text is the document's, word for word, so nobody edits it
    here (the programme file is its source; see README «Programmets data»)."""

    list_display = ["position", "key", "type", "title", "handlingsprogram"]
    list_display_links = ["key"]
    list_filter = ["handlingsprogram", "type"]
    search_fields = ["key", "title", "text"]
    list_select_related = ["handlingsprogram"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AccountWithoutPasswordForm(forms.ModelForm):
    """The add form for coordinators: no password (only superusers set passwords, see permissions.py) and no
    superuser or staff flag. The account gets a password from a superuser when it needs one."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "rolle", "enhet"]

    def clean_username(self):
        # Case-insensitively unique, as Django's own add form has it: allauth's login matches usernames that way.
        username = self.cleaned_data.get("username")
        if username and User.objects.filter(username__iexact=username).exists():
            raise ValidationError(self.instance.unique_error_message(User, ["username"]))
        return username

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


# A permission's name is stored in English when the table is made ("Can add tiltak"); shown translated instead.
PERMISSION_ACTIONS = {
    "add": _("Can add %(name)s"),
    "change": _("Can change %(name)s"),
    "delete": _("Can delete %(name)s"),
    "view": _("Can view %(name)s"),
}


def permission_label(permission) -> str:
    action, _separator, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in PERMISSION_ACTIONS and model is not None and model._meta.model_name == model_name:
        name = PERMISSION_ACTIONS[action] % {"name": model._meta.verbose_name}
    else:
        name = gettext(permission.name)
    return f"{permission.content_type} | {name}"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Who may change which account, role and password is decided in permissions.py: a coordinator manages
    readers and case officers (no passwords), superusers everything; Entra ID accounts never get a password."""

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
    add_fieldsets_without_password = [
        (None, {"fields": ["username"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Portal"), {"fields": ["rolle", "enhet"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Coordinators manage staff accounts but cannot hand out superuser powers or raw permissions, nor change
        # the address a password-reset link is mailed to (that would set the password by another way).
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        fields = ["is_superuser", "is_staff", "user_permissions", "groups", "last_login", "date_joined"]
        return fields if obj is None else [*fields, "email"]

    def get_fieldsets(self, request, obj=None):
        may_set_passwords = permissions.user_may_set_passwords(request.user)
        if obj is None:
            return self.add_fieldsets if may_set_passwords else self.add_fieldsets_without_password
        fieldsets = super().get_fieldsets(request, obj)
        if may_set_passwords:
            return fieldsets
        # The password row only links to the password page, which is closed to them.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "user_permissions":
            formfield.label_from_instance = permission_label
        return formfield

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not permissions.user_may_set_passwords(request.user):
            kwargs["form"] = AccountWithoutPasswordForm
        return super().get_form(request, obj, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "rolle":
            allowed = permissions.roles_user_may_grant(request.user)
            kwargs["choices"] = [(value, label) for value, label in db_field.choices if value in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Without change permission the admin shows the account read-only and refuses a POST with 403.
        if obj is not None and not permissions.user_may_change_account(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Also asked per account by the "delete selected" action, so a bulk delete cannot reach these either.
        if obj is not None and not permissions.user_may_change_account(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    @method_decorator(sensitive_post_parameters())
    def user_change_password(self, request, id, form_url=""):
        if not permissions.user_may_set_passwords(request.user):
            raise PermissionDenied
        account = self.get_object(request, unquote(id))
        if account is not None and not permissions.account_may_have_password(account):
            messages.error(
                request,
                gettext(
                    "%(username)s logs in with Microsoft Entra ID and cannot have a password: "
                    "Entra ID and its groups decide who gets in."
                )
                % {"username": account.get_username()},
            )
            return redirect("admin:handlingsprogram_user_change", account.pk)
        return super().user_change_password(request, id, form_url)


# Access follows the portal role (User.rolle), not Django groups; an unused groups page would only confuse.
admin.site.unregister(Group)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Coordinators give partners API keys here. The key is shown once, in the answer to the add form; only
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
        token, key = services.api_token_create(user=request.user, navn=obj.navn, aktoer=obj.aktoer)
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = token.pk, token.prefix, token.key_hash, token.created_at
        obj.key_shown_once = key  # for response_add, on this request's object only: never stored anywhere

    def response_add(self, request, obj, post_url_continue=None):
        # The key goes in this response, not in a message after a redirect: messages travel in a signed but
        # readable cookie (or the session), and the key must not be kept anywhere, least of all in a browser.
        response = TemplateResponse(
            request,
            "admin/handlingsprogram/apitoken/key_created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("The API key for %(name)s") % {"name": obj.navn},
                "token": obj,
                "key": obj.key_shown_once,
            },
        )
        add_never_cache_headers(response)
        return response

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
