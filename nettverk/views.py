from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.forms import add_service_errors
from felles.vedlegg import download_response
from felles.views import or_404
from handlingsprogram import selectors as programme_selectors
from handlingsprogram.permissions import authenticated, public, user_may_read_comments
from handlingsprogram.selectors import kommentarer_prefetch
from varsler import permissions as varsler_permissions
from varsler import selectors as varsler_selectors
from varsler import services as varsler_services

from . import permissions, selectors, services
from .forms import DeltagelseForm, NettverkFilterForm, VedleggForm


@public
def nettverk_list(request):
    form = NettverkFilterForm(request.GET or None, programme=programme_selectors.programme_current())
    context = {"form": form, "filtered": None, "tree": None}
    if form.active:
        context["filtered"] = selectors.nettverk_filtered(**form.cleaned_data)
    else:
        context["tree"] = selectors.nettverk_tree(kilder=True)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "nettverk/nettverk_list.html", context, status=status)


@public
def nettverk_detail(request, slug: str):
    detail = or_404(selectors.nettverk_detail(slug=slug))
    deltagelser, deltagelser_count = selectors.nettverk_deltagelser(nettverk=detail.nettverk)
    context = {
        "detail": detail,
        "nettverk": detail.nettverk,
        "deltagelser": deltagelser,
        "deltagelser_count": deltagelser_count,
        "can_register": permissions.can_register(request.user),
        "can_follow": varsler_permissions.can_follow(request.user),
    }
    if context["can_follow"]:
        context["foelging"] = varsler_selectors.foelging_of(user=request.user, followed=detail.nettverk)
    return render(request, "nettverk/nettverk_detail.html", context)


@authenticated
@require_POST
def nettverk_foelg(request, slug: str):
    """Follow the network (and its sub-networks), or with ``stopp`` unfollow it."""
    nettverk = or_404(selectors.nettverk_get(slug=slug))
    if request.POST.get("stopp"):
        varsler_services.foelging_stop_object(user=request.user, followed=nettverk)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": nettverk})
    else:
        varsler_services.foelging_start(user=request.user, followed=nettverk)
        messages.success(request, _("You follow %(name)s.") % {"name": nettverk})
    return redirect(nettverk.get_absolute_url())


# --- Deltagelser ---------------------------------------------------------------------------------------------------


def _deltagelse_form(request, deltagelse, *, initial=None):
    """Register (``deltagelse`` None) or edit: the form, the service, and the page again with errors (400)."""
    form = DeltagelseForm(request.POST or None, instance=deltagelse, initial=initial)
    if request.method == "POST" and form.is_valid():
        relations = {"deltakere": form.cleaned_data["deltakere"], "tiltak": form.cleaned_data["tiltak"]}
        data = {name: form.cleaned_data[name] for name in services.FIELDS if name in form.cleaned_data}
        try:
            if deltagelse is None:
                deltagelse = services.deltagelse_create(user=request.user, data=data, **relations)
                messages.success(request, _("The participation was registered."))
            else:
                services.deltagelse_update(deltagelse=deltagelse, user=request.user, data=data, **relations)
                messages.success(request, _("The participation was saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(deltagelse.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "nettverk/deltagelse_form.html", {"form": form, "deltagelse": deltagelse}, status=status)


@authenticated
def deltagelse_create(request):
    if not permissions.can_register(request.user):
        raise PermissionDenied
    initial = {"deltakere": [request.user.pk]}
    if slug := request.GET.get("nettverk"):
        initial["nettverk"] = selectors.nettverk_get(slug=slug)
    return _deltagelse_form(request, None, initial=initial)


@authenticated
def deltagelse_edit(request, pk: int):
    deltagelse = or_404(selectors.deltagelse_get(pk=pk))
    if not permissions.can_edit(request.user, deltagelse):
        raise PermissionDenied
    return _deltagelse_form(request, deltagelse)


def _detail_context(request, deltagelse) -> dict:
    can_edit = permissions.can_edit(request.user, deltagelse)
    if user_may_read_comments(request.user):
        prefetch_related_objects([deltagelse], kommentarer_prefetch())
    next_status = services.next_status(deltagelse)
    steps = [
        {
            "value": value,
            "label": label,
            "done": services.ORDER.index(value) <= services.ORDER.index(deltagelse.status),
            "missing": services.missing_for(deltagelse, value),
        }
        for value, label in deltagelse.Status.choices
    ]
    internal = permissions.can_read_internal(request.user)
    return {
        "deltagelse": deltagelse,
        "internal": internal,
        "can_edit": can_edit,
        "steps": steps,
        "next_status": next_status,
        "next_missing": services.missing_for(deltagelse, next_status) if next_status else [],
        "vedlegg": list(deltagelse.vedlegg.all()) if internal else [],
        "vedlegg_form": VedleggForm() if can_edit else None,
        "vedlegg_max_mb": settings.VEDLEGG_MAX_BYTES // (1024 * 1024),
    }


@public
def deltagelse_detail(request, pk: int):
    """Public fields for everyone; the internal parts, the attachments, the status steps and what they still need
    for staff."""
    deltagelse = or_404(selectors.deltagelse_get(pk=pk))
    return render(request, "nettverk/deltagelse_detail.html", _detail_context(request, deltagelse))


@authenticated
@require_POST
def deltagelse_status(request, pk: int):
    deltagelse = or_404(selectors.deltagelse_get(pk=pk))
    if not permissions.can_edit(request.user, deltagelse):
        raise PermissionDenied
    try:
        services.deltagelse_set_status(deltagelse=deltagelse, user=request.user, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        deltagelse.refresh_from_db()
        messages.success(request, _("The status is now “%(status)s”.") % {"status": deltagelse.get_status_display()})
    return redirect(deltagelse.get_absolute_url())


@authenticated
def mine_deltagelser(request):
    today = timezone.localdate()
    context = {
        "deltagelser": selectors.deltagelser_for_user(user=request.user, today=today),
        "can_register": permissions.can_register(request.user),
        "overdue_days": selectors.OVERDUE_DAYS,
    }
    return render(request, "nettverk/mine_deltagelser.html", context)


@public
def deltagelser_siste(request):
    """ "Siste fra internasjonale arenaer": the latest report-backs (public parts), newest first."""
    context = {"deltagelser": selectors.deltagelser_recently_reported()}
    return render(request, "nettverk/deltagelser_siste.html", context)


@authenticated
@require_POST
def vedlegg_upload(request, pk: int):
    deltagelse = or_404(selectors.deltagelse_get(pk=pk))
    if not permissions.can_edit(request.user, deltagelse):
        raise PermissionDenied
    form = VedleggForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            vedlegg = services.vedlegg_add(deltagelse=deltagelse, user=request.user, uploaded=form.cleaned_data["fil"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” was attached.") % {"name": vedlegg.navn})
            return redirect(deltagelse.get_absolute_url() + "#vedlegg")
    context = _detail_context(request, deltagelse) | {"vedlegg_form": form}
    return render(request, "nettverk/deltagelse_detail.html", context, status=400)


@authenticated
def vedlegg_download(request, pk: int):
    """Internal: logged-in staff only. Always a download with the type its content was checked to be."""
    vedlegg = or_404(selectors.vedlegg_get(pk=pk))
    return download_response(vedlegg.fil, name=vedlegg.navn, kind=vedlegg.type)


@authenticated
@require_POST
def vedlegg_delete(request, pk: int):
    vedlegg = or_404(selectors.vedlegg_get(pk=pk))
    deltagelse = vedlegg.deltagelse
    services.vedlegg_delete(vedlegg=vedlegg, user=request.user)  # PermissionDenied (403) for others
    messages.success(request, _("“%(name)s” was removed.") % {"name": vedlegg.navn})
    return redirect(deltagelse.get_absolute_url() + "#vedlegg")
