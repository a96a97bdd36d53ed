from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from handlingsprogram.permissions import user_is_koordinator


class PortalAdminSite(admin.AdminSite):
    """The admin is where coordinators maintain the programme; nobody else gets in."""

    site_header = _("Handlingsprogram-portalen – administration")
    site_title = _("Handlingsprogram-portalen")
    index_title = _("Maintain the programme")

    def has_permission(self, request):
        return user_is_koordinator(request.user)
