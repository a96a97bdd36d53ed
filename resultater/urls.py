from django.urls import path

from .views import finansiering, indikator, prosjekt, prosjekt_import

app_name = "resultater"

urlpatterns = [
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
