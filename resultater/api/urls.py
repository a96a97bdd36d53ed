from django.urls import path

from . import views

# ``<pk>`` untyped so the schema types it from the model (as in tiltak/api/urls.py).

urlpatterns = [
    path("indikatorer/", views.IndikatorList.as_view(), name="indikator-list"),
    path("indikatorer/<pk>/", views.IndikatorDetail.as_view(), name="indikator-detail"),
    path("prosjekter/", views.ProsjektList.as_view(), name="prosjekt-list"),
    path("prosjekter/<pk>/", views.ProsjektDetail.as_view(), name="prosjekt-detail"),
    path("valutakurser/", views.ValutakursList.as_view(), name="valutakurs-list"),
]
