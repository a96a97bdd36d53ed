from django.urls import path

from . import views

app_name = "rapportering"

urlpatterns = [
    path("aarsrapporter/", views.aarsrapport_list_current, name="list_current"),
    path("program/<slug:program>/aarsrapporter/", views.aarsrapport_list, name="list"),
    path("program/<slug:program>/aarsrapporter/ny/", views.aarsrapport_create, name="create"),
    path("aarsrapport/<int:pk>/", views.aarsrapport_detail, name="detail"),
    path("aarsrapport/<int:pk>/rediger/", views.aarsrapport_edit, name="edit"),
    path("aarsrapport/<int:pk>/forhaandsvisning/", views.aarsrapport_preview, name="preview"),
    path("aarsrapport/<int:pk>/pdf/", views.aarsrapport_pdf, name="pdf"),
    path("aarsrapport/<int:pk>/lag-pdf/", views.aarsrapport_generate, name="generate"),
    path("aarsrapport/<int:pk>/godkjenn/", views.aarsrapport_approve, name="approve"),
    path("aarsrapport/<int:pk>/gjenaapne/", views.aarsrapport_reopen, name="reopen"),
    path("pdf-generering/<int:pk>/", views.pdf_generering_detail, name="generering"),
    path("pdf-generering/<int:pk>/status/", views.pdf_generering_status, name="generering_status"),
    path("pdf-generering/<int:pk>/pdf/", views.pdf_generering_pdf, name="generering_pdf"),
]
