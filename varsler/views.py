from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.pagination import page_get
from felles.views import or_404
from handlingsprogram.permissions import authenticated

from . import selectors, services


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
