from django.urls import path

from . import views

app_name = "handlingsprogram"

urlpatterns = [
    path("styringsdokumenter/", views.styringsdokumenter, name="styringsdokumenter_current"),
    path("program/<slug:program>/styringsdokumenter/", views.styringsdokumenter, name="styringsdokumenter"),
    path("finansieringsprogrammer/", views.finansieringsprogrammer, name="finansieringsprogrammer"),
    path("programdokument/", views.programdokument, name="programdokument_current"),
    path("program/<slug:program>/programdokument/", views.programdokument, name="programdokument"),
]
