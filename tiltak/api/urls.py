from django.urls import path

from . import views

# Plain segments, checked by the views (see PortalDetailView); ``<pk>`` untyped so the schema types it from the model.

urlpatterns = [
    path("tiltak/", views.TiltakList.as_view(), name="tiltak-list"),
    path("tiltak/<str:program>/<str:kode>/", views.TiltakDetail.as_view(), name="tiltak-detail"),
    path("statusmeldinger/", views.StatusmeldingList.as_view(), name="statusmelding-list"),
    path("statusmeldinger/<pk>/", views.StatusmeldingDetail.as_view(), name="statusmelding-detail"),
    path("indikatorer/", views.IndikatorList.as_view(), name="indikator-list"),
    path("indikatorer/<pk>/", views.IndikatorDetail.as_view(), name="indikator-detail"),
    path("prosjekter/", views.ProsjektList.as_view(), name="prosjekt-list"),
    path("prosjekter/<pk>/", views.ProsjektDetail.as_view(), name="prosjekt-detail"),
    path("valutakurser/", views.ValutakursList.as_view(), name="valutakurs-list"),
]
