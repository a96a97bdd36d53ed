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
    path("aarsrapport/<int:pk>/klar-til-godkjenning/", views.aarsrapport_mark_ready, name="mark_ready"),
    path("program/<slug:program>/godkjenning/", views.approval_setting, name="approval_setting"),
    path("aarsrapport/<int:pk>/gjenaapne/", views.aarsrapport_reopen, name="reopen"),
    path("pdf-generering/<int:pk>/", views.pdf_generering_detail, name="generering"),
    path("pdf-generering/<int:pk>/status/", views.pdf_generering_status, name="generering_status"),
    path("pdf-generering/<int:pk>/pdf/", views.pdf_generering_pdf, name="generering_pdf"),
    path("program/<slug:program>/sluttevaluering/", views.sluttevaluering_detail, name="sluttevaluering"),
    path("program/<slug:program>/sluttevaluering/ny/", views.sluttevaluering_create, name="sluttevaluering_create"),
    path("program/<slug:program>/sluttevaluering/rediger/", views.sluttevaluering_edit, name="sluttevaluering_edit"),
    path(
        "program/<slug:program>/sluttevaluering/forhaandsvisning/",
        views.sluttevaluering_preview,
        name="sluttevaluering_preview",
    ),
    path("program/<slug:program>/sluttevaluering/pdf/", views.sluttevaluering_pdf, name="sluttevaluering_pdf"),
    path(
        "program/<slug:program>/sluttevaluering/lag-pdf/",
        views.sluttevaluering_generate,
        name="sluttevaluering_generate",
    ),
    path(
        "program/<slug:program>/sluttevaluering/godkjenn/",
        views.sluttevaluering_approve,
        name="sluttevaluering_approve",
    ),
    path(
        "program/<slug:program>/sluttevaluering/klar-til-godkjenning/",
        views.sluttevaluering_mark_ready,
        name="sluttevaluering_mark_ready",
    ),
]
