from django.urls import path

from .views import oversikt, programme, statusmelding, tiltak

app_name = "tiltak"

urlpatterns = [
    # The programme and its areas (public)
    path("", programme.programme_overview, name="overview"),
    path("program/<slug:program>/", programme.programme_overview, name="programme"),
    path("program/<slug:program>/omraade/<slug:omraade>/", programme.omraade_detail, name="omraade"),
    path("program/<slug:program>/tiltak/<str:kode>/", tiltak.tiltak_detail, name="detail"),
    path(
        "program/<slug:program>/tiltak/<str:kode>/statusmelding/ny/",
        statusmelding.statusmelding_create,
        name="statusmelding_create",
    ),
    path("statusmelding/<int:pk>/trekk-tilbake/", statusmelding.statusmelding_withdraw, name="statusmelding_withdraw"),
    path("mine-tiltak/", tiltak.mine_tiltak, name="mine"),
    path("tiltak/", oversikt.tiltak_list, name="list"),
    path("tiltak/eksport.<str:fmt>", oversikt.tiltak_export, name="export"),
]
