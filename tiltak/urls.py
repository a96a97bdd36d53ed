from django.urls import path

from . import views

app_name = "tiltak"

urlpatterns = [
    path("program/<slug:program>/tiltak/<str:kode>/", views.tiltak_detail, name="detail"),
]
