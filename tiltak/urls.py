from django.urls import path

from .views import oppfoelging, oversikt, programme, rullering, statusmelding, tiltak

app_name = "tiltak"

urlpatterns = [
    # The programme and its areas (public)
    path("", programme.programme_overview, name="overview"),
    path("program/<slug:program>/", programme.programme_overview, name="programme"),
    path("program/<slug:program>/omraade/<slug:omraade>/", programme.omraade_detail, name="omraade"),
    path("program/<slug:program>/omraade/<slug:omraade>/foelg/", programme.omraade_foelg, name="omraade_foelg"),
    path("program/<slug:program>/tiltak/<str:kode>/", tiltak.tiltak_detail, name="detail"),
    path(
        "program/<slug:program>/tiltak/<str:kode>/statusmelding/ny/",
        statusmelding.statusmelding_create,
        name="statusmelding_create",
    ),
    path(
        "statusmelding/vedlegg/<int:pk>/",
        statusmelding.statusmelding_vedlegg_download,
        name="statusmelding_vedlegg_download",
    ),
    path("statusmelding/<int:pk>/trekk-tilbake/", statusmelding.statusmelding_withdraw, name="statusmelding_withdraw"),
    # Rolling a programme over into its successor, and adopting it (coordinators)
    path("program/<slug:program>/rullering/ny/", rullering.rullering_start, name="rullering_start"),
    path("program/<slug:program>/rullering/", rullering.rullering_decisions, name="rullering"),
    path("program/<slug:program>/rullering/<str:kode>/", rullering.rullering_decision, name="rullering_decision"),
    path("program/<slug:program>/vedta/", rullering.programme_adopt, name="programme_adopt"),
    path("mine-tiltak/", tiltak.mine_tiltak, name="mine"),
    # Reporting rounds (coordinators open and close them) and requests for an update on one tiltak
    path("rapporteringsrunder/", oppfoelging.runde_list, name="runde_list"),
    path("rapporteringsrunder/ny/", oppfoelging.runde_create, name="runde_create"),
    path("rapporteringsrunder/<int:pk>/", oppfoelging.runde_detail, name="runde_detail"),
    path("rapporteringsrunder/<int:pk>/lukk/", oppfoelging.runde_close, name="runde_close"),
    path(
        "program/<slug:program>/tiltak/<str:kode>/forespoersel/ny/",
        oppfoelging.forespoersel_create,
        name="forespoersel_create",
    ),
    path("forespoersel/<int:pk>/svar/", oppfoelging.forespoersel_answer, name="forespoersel_answer"),
    path("tiltak/", oversikt.tiltak_list, name="list"),
    path("tiltak/eksport.<str:fmt>", oversikt.tiltak_export, name="export"),
]
