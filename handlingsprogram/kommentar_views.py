"""Comments on entries (statusmeldinger, deltagelser): add one, change it in the first minutes, hide it (coordinators).
The thread itself is drawn on the entry's own page by ``{% kommentar_thread %}`` (templatetags/kommentar.py)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from felles.views import or_404

from . import kommentar_services as services
from .models import Kommentar
from .permissions import authenticated, koordinator_only, user_is_comment_author, user_may_edit_comment


class KommentarForm(forms.Form):
    tekst = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=Kommentar.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Write the comment."),
            "max_length": gettext_lazy(
                "A comment can be at most %(limit_value)d characters (this one has %(show_value)d)."
            ),
        },
    )


class SkjulForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is it hidden?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown instead of the comment. The text is kept, and coordinators still see it."),
        error_messages={"required": gettext_lazy("Say why the comment is hidden.")},
    )


def _thread_url(target, kind: str) -> str:
    """The entry's thread on its page (the thread's anchor, as ``_kommentarer.html`` names it)."""
    return f"{target.get_absolute_url().split('#')[0]}#kommentarer-{kind}-{target.pk}"


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@authenticated
@require_POST
def kommentar_add(request, kind: str, pk: int):
    target = or_404(services.kommentar_target_get(kind=kind, pk=pk))
    form = KommentarForm(request.POST)
    if form.is_valid():
        try:
            kommentar = services.kommentar_add(user=request.user, target=target, tekst=form.cleaned_data["tekst"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The comment is saved."))
            return redirect(kommentar.get_absolute_url())
    return render(
        request,
        "handlingsprogram/kommentar_form.html",
        {"form": form, "target": target, "back": _thread_url(target, kind), "edit": False},
        status=400,
    )


@authenticated
def kommentar_edit(request, pk: int):
    kommentar = or_404(Kommentar.objects.select_related("author").filter(pk=pk).first())
    if not user_is_comment_author(request.user, kommentar):
        raise PermissionDenied
    back = kommentar.get_absolute_url()
    if not user_may_edit_comment(request.user, kommentar):
        messages.error(
            request,
            _("A comment can be changed for %(minutes)d minutes after it was written; write a new one instead.")
            % {"minutes": Kommentar.EDIT_MINUTES},
        )
        return redirect(back)
    form = KommentarForm(request.POST or None, initial={"tekst": kommentar.tekst})
    if request.method == "POST" and form.is_valid():
        try:
            services.kommentar_edit(user=request.user, kommentar=kommentar, tekst=form.cleaned_data["tekst"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The comment is changed."))
            return redirect(back)
    return render(
        request,
        "handlingsprogram/kommentar_form.html",
        {"form": form, "target": kommentar.gjelder, "back": back, "edit": True, "kommentar": kommentar},
        status=400 if form.errors else 200,
    )


@koordinator_only
def kommentar_hide(request, pk: int):
    kommentar = or_404(Kommentar.objects.select_related("author").filter(pk=pk).first())
    back = kommentar.get_absolute_url()
    form = SkjulForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.kommentar_hide(user=request.user, kommentar=kommentar, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The comment is hidden."))
            return redirect(back)
    return render(
        request,
        "handlingsprogram/kommentar_hide.html",
        {"form": form, "kommentar": kommentar, "back": back},
        status=400 if form.errors else 200,
    )
