from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FellesConfig(AppConfig):
    """Helpers every app shares and that know no app: widgets and form fields, formatting and its template
    filters, exports, history diffs, chart geometry and the API's plumbing. No models, and no imports from the
    portal's apps: it is the bottom layer."""

    name = "felles"
    verbose_name = _("Shared helpers")
