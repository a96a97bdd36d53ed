from django.contrib import admin
from django.urls import include, path

from . import legal_views, views

# A request that failed in a middleware because the database is unreachable answers 503 too (portal.operations).
handler500 = "portal.operations.server_error"

# Pages that draw on several apps, under their own namespace ("portal:dashboard").
portal_patterns = (
    [
        path("oversikt/", views.dashboard, name="dashboard"),
        path("oversikt/utledet/", views.kilde_review, name="kilde_review"),
        path("oversikt/utledet/<int:pk>/bekreft/", views.kilde_confirm, name="kilde_confirm"),
        path("oversikt/utledet/<int:pk>/rett/", views.kilde_correct, name="kilde_correct"),
        path("favicon.ico", views.favicon, name="favicon"),
        path("sok/", views.sok, name="sok"),
        # The pages every page's footer links to (issue 17)
        path("tilgjengelighetserklaering/", legal_views.tilgjengelighet, name="tilgjengelighet"),
        path("personvern/", legal_views.personvern, name="personvern"),
        path("kontakt/", legal_views.kontakt, name="kontakt"),
        path("spraak/", views.set_language, name="set_language"),
        path("program/<slug:program>/eksport.toml", views.programme_export_download, name="programme_export"),
    ],
    "portal",
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("konto/", include("handlingsprogram.account_urls")),
    # allauth: only the Entra ID login and its callback are used (SOCIALACCOUNT_ONLY; no signup or passwords).
    path("konto/ekstern/", include("allauth.urls")),
    path("api/v1/", include("portal.api_v1")),
    path("", include("handlingsprogram.public_urls")),
    path("", include(portal_patterns)),
    path("", include("tiltak.urls")),
    path("", include("varsler.urls")),
    path("", include("resultater.urls")),
    path("", include("nettverk.urls")),
    path("", include("rapportering.urls")),
]
