from django.urls import path

from . import views

# Checked by the view (see PortalDetailView); untyped so the schema types it from the model's slug field.

urlpatterns = [
    path("nettverk/", views.NettverkList.as_view(), name="nettverk-list"),
    path("nettverk/<slug>/", views.NettverkDetail.as_view(), name="nettverk-detail"),
    path("deltagelser/", views.DeltagelseList.as_view(), name="deltagelse-list"),
    path("deltagelser/<pk>/", views.DeltagelseDetail.as_view(), name="deltagelse-detail"),
    path("medlemskap/", views.MedlemskapList.as_view(), name="medlemskap-list"),
    path("medlemskap/<pk>/", views.MedlemskapDetail.as_view(), name="medlemskap-detail"),
]
