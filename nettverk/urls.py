from django.urls import path

from . import views

app_name = "nettverk"

urlpatterns = [
    path("nettverk/", views.nettverk_list, name="list"),
    path("nettverk/<slug:slug>/", views.nettverk_detail, name="detail"),
]
