from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.pagination import page_get
from felles.views import or_404
from handlingsprogram.permissions import authenticated

from . import selectors, services
from .forms import VarselinnstillingerForm


@authenticated
def varsel_list(request):
    page = page_get(request, selectors.varsler_for(user=request.user))
    return render(request, "varsler/varsel_list.html", {"page": page, "varsler": page.object_list})


@authenticated
@require_POST
def varsel_read(request, pk: int):
    """Mark one notification read; with ``open`` set, go on to what it links to."""
    varsel = or_404(selectors.varsel_get(user=request.user, pk=pk))
    services.varsel_mark_read(varsel=varsel, user=request.user)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(varsel.link, allowed_hosts=None):
        return redirect(varsel.link or "varsler:list")
    messages.success(request, _("The notification was marked as read."))
    return redirect("varsler:list")


@authenticated
@require_POST
def varsler_read_all(request):
    count = services.varsler_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications were marked as read."))
    return redirect("varsler:list")


@authenticated
def varselinnstillinger(request):
    """The user's own choice of e-mail per kind of notification, and what they follow."""
    rows = selectors.varselinnstillinger_for(user=request.user)
    current = {row["kind"]: row["levering"] for row in rows}
    form = VarselinnstillingerForm(request.POST if request.method == "POST" else None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.varselinnstillinger_set(user=request.user, choices=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your notification preferences were saved."))
            return redirect("varsler:innstillinger")
    return render(
        request,
        "varsler/varselinnstillinger.html",
        {"form": form, "foelginger": selectors.foelginger_for(user=request.user)},
    )


@authenticated
@require_POST
def foelging_stop(request, pk: int):
    foelging = or_404(selectors.foelging_get(user=request.user, pk=pk))
    name = str(foelging.followed or "")
    services.foelging_stop(user=request.user, foelging=foelging)
    messages.success(request, _("You no longer follow %(name)s.") % {"name": name})
    return redirect("varsler:innstillinger")
