from django.urls import path

from .views import oversikt, statusmelding, tiltak

app_name = "tiltak"

urlpatterns = [
    path("program/<slug:program>/tiltak/<str:kode>/", tiltak.tiltak_detail, name="detail"),
    path(
        "program/<slug:program>/tiltak/<str:kode>/statusmelding/ny/",
        statusmelding.statusmelding_create,
        name="statusmelding_create",
    ),
    path("statusmelding/<int:pk>/trekk-tilbake/", statusmelding.statusmelding_withdraw, name="statusmelding_withdraw"),
    path("mine-tiltak/", tiltak.mine_tiltak, name="mine"),
    path("oversikt/", oversikt.dashboard, name="dashboard"),
    path("tiltak/", oversikt.tiltak_list, name="list"),
    path("tiltak/eksport.<str:fmt>", oversikt.tiltak_export, name="export"),
]
