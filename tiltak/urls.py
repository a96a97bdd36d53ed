from django.urls import path

from .views import finansiering, indikator, oversikt, programme, prosjekt, prosjekt_import, statusmelding, tiltak

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
    # Results: indikatorer and their values
    path("indikatorer/", indikator.indikator_list_current, name="indikator_list_current"),
    path("program/<slug:program>/indikatorer/", indikator.indikator_list, name="indikator_list"),
    path("program/<slug:program>/indikatorer/ny/", indikator.indikator_create, name="indikator_create"),
    path(
        "program/<slug:program>/indikatorer/eksport.<str:fmt>",
        indikator.indikatorverdi_export,
        name="indikatorverdi_export",
    ),
    path("indikatorer/<int:pk>/", indikator.indikator_detail, name="indikator_detail"),
    path("indikatorer/<int:pk>/endre/", indikator.indikator_edit, name="indikator_edit"),
    path("indikatorer/<int:pk>/verdi/", indikator.indikatorverdi_save, name="indikatorverdi_save"),
    # International projects, their import and funding
    path("prosjekter/", prosjekt.prosjekt_list, name="prosjekt_list"),
    path("prosjekter/ny/", prosjekt.prosjekt_create, name="prosjekt_create"),
    path("prosjekter/eksport.<str:fmt>", prosjekt.prosjekt_export, name="prosjekt_export"),
    path("prosjekter/import/", prosjekt_import.prosjekt_import, name="prosjekt_import"),
    path("prosjekter/import/<int:pk>/", prosjekt_import.prosjekt_import_preview, name="prosjekt_import_preview"),
    path("prosjekter/<int:pk>/", prosjekt.prosjekt_detail, name="prosjekt_detail"),
    path("prosjekter/<int:pk>/endre/", prosjekt.prosjekt_edit, name="prosjekt_edit"),
    path("finansiering/", finansiering.finansiering, name="finansiering"),
    path("valutakurser/", finansiering.valutakurs_list, name="valutakurser"),
]
