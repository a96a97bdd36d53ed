from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("konto/", include("handlingsprogram.account_urls")),
    # allauth: only the Entra ID login and its callback are used (SOCIALACCOUNT_ONLY; no signup or passwords).
    path("konto/ekstern/", include("allauth.urls")),
    path("api/v1/", include("handlingsprogram.api_v1")),
    path("", include("handlingsprogram.public_urls")),
    path("", include("tiltak.urls")),
    path("", include("nettverk.urls")),
    path("", include("rapportering.urls")),
]
