from django.urls import path

from .views import oversikt, programme, rullering, statusmelding, tiltak

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
    # Rolling a programme over into its successor, and adopting it (coordinators)
    path("program/<slug:program>/rullering/ny/", rullering.rullering_start, name="rullering_start"),
    path("program/<slug:program>/rullering/", rullering.rullering_decisions, name="rullering"),
    path("program/<slug:program>/rullering/<str:kode>/", rullering.rullering_decision, name="rullering_decision"),
    path("program/<slug:program>/vedta/", rullering.programme_adopt, name="programme_adopt"),
    path("mine-tiltak/", tiltak.mine_tiltak, name="mine"),
    path("tiltak/", oversikt.tiltak_list, name="list"),
    path("tiltak/eksport.<str:fmt>", oversikt.tiltak_export, name="export"),
]
