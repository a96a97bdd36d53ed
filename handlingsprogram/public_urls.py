from django.urls import path

from . import kommentar_views, views

app_name = "handlingsprogram"

urlpatterns = [
    path("styringsdokumenter/", views.styringsdokumenter, name="styringsdokumenter_current"),
    path("program/<slug:program>/styringsdokumenter/", views.styringsdokumenter, name="styringsdokumenter"),
    path("finansieringsprogrammer/", views.finansieringsprogrammer, name="finansieringsprogrammer"),
    path("programdokument/", views.programdokument, name="programdokument_current"),
    path("program/<slug:program>/programdokument/", views.programdokument, name="programdokument"),
    # Comments on entries (staff only, internal)
    path("kommentarer/<str:kind>/<int:pk>/ny/", kommentar_views.kommentar_add, name="kommentar_add"),
    path("kommentarer/<int:pk>/endre/", kommentar_views.kommentar_edit, name="kommentar_edit"),
    path("kommentarer/<int:pk>/skjul/", kommentar_views.kommentar_hide, name="kommentar_hide"),
]
