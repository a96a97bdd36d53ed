from django.urls import path

from . import views

app_name = "handlingsprogram"

urlpatterns = [
    path("", views.programme_overview, name="overview"),
    path("program/<slug:program>/", views.programme_overview, name="programme"),
    path("program/<slug:program>/omraade/<slug:omraade>/", views.omraade_detail, name="omraade"),
    path("styringsdokumenter/", views.styringsdokumenter, name="styringsdokumenter_current"),
    path("program/<slug:program>/styringsdokumenter/", views.styringsdokumenter, name="styringsdokumenter"),
    path("finansieringsprogrammer/", views.finansieringsprogrammer, name="finansieringsprogrammer"),
]
