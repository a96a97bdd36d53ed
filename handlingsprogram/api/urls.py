from django.urls import path

from . import views

# The path values are plain segments that each view checks itself (PortalDetailView). A lookup field is left
# untyped (``<slug>``) so that the schema takes its type from the model field; ``<str:…>`` for the others.

urlpatterns = [
    path("handlingsprogrammer/", views.HandlingsprogramList.as_view(), name="handlingsprogram-list"),
    path("handlingsprogrammer/<slug>/", views.HandlingsprogramDetail.as_view(), name="handlingsprogram-detail"),
    path("prioriterte-omraader/", views.PrioritertOmraadeList.as_view(), name="omraade-list"),
    path(
        "prioriterte-omraader/<str:program>/<slug>/",
        views.PrioritertOmraadeDetail.as_view(),
        name="omraade-detail",
    ),
    path("innsatsomraader/", views.InnsatsomraadeList.as_view(), name="innsatsomraade-list"),
    path(
        "innsatsomraader/<str:program>/<str:kode>/",
        views.InnsatsomraadeDetail.as_view(),
        name="innsatsomraade-detail",
    ),
    path("aktoerer/", views.AktoerList.as_view(), name="aktoer-list"),
    path("aktoerer/<slug>/", views.AktoerDetail.as_view(), name="aktoer-detail"),
    path("baerekraftsmaal/", views.BaerekraftsmaalList.as_view(), name="baerekraftsmaal-list"),
    path("baerekraftsmaal/<nummer>/", views.BaerekraftsmaalDetail.as_view(), name="baerekraftsmaal-detail"),
    path("styringsdokumenter/", views.StyringsdokumentList.as_view(), name="styringsdokument-list"),
    path("styringsdokumenter/<slug>/", views.StyringsdokumentDetail.as_view(), name="styringsdokument-detail"),
    path("finansieringsprogrammer/", views.FinansieringsprogramList.as_view(), name="finansieringsprogram-list"),
    path(
        "finansieringsprogrammer/<slug>/",
        views.FinansieringsprogramDetail.as_view(),
        name="finansieringsprogram-detail",
    ),
    path("programtekster/", views.ProgramtekstList.as_view(), name="programtekst-list"),
    path("programtekster/<str:program>/<str:key>/", views.ProgramtekstDetail.as_view(), name="programtekst-detail"),
]
