from django.urls import path

from . import views

app_name = "varsler"

urlpatterns = [
    path("varsler/", views.varsel_list, name="list"),
    path("varsler/<int:pk>/lest/", views.varsel_read, name="read"),
    path("varsler/lest/", views.varsler_read_all, name="read_all"),
    path("varsler/innstillinger/", views.varselinnstillinger, name="innstillinger"),
    path("varsler/foelger/<int:pk>/stopp/", views.foelging_stop, name="foelging_stop"),
]
