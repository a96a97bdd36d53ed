from django.urls import path

from . import views

# Plain segments, checked by the views (see PortalDetailView); ``<pk>`` untyped so the schema types it from the model.

urlpatterns = [
    path("tiltak/", views.TiltakList.as_view(), name="tiltak-list"),
    path("tiltak/<str:program>/<str:kode>/", views.TiltakDetail.as_view(), name="tiltak-detail"),
    path("statusmeldinger/", views.StatusmeldingList.as_view(), name="statusmelding-list"),
    path("statusmeldinger/<pk>/", views.StatusmeldingDetail.as_view(), name="statusmelding-detail"),
]
