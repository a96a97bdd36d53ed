from django.urls import path

from . import feeds, views

app_name = "nettverk"

urlpatterns = [
    path("nettverk/", views.nettverk_list, name="list"),
    path("nettverk/<slug:slug>/", views.nettverk_detail, name="detail"),
    path("nettverk/<slug:slug>/foelg/", views.nettverk_foelg, name="foelg"),
    path("deltagelser/ny/", views.deltagelse_create, name="deltagelse_create"),
    path("deltagelser/<int:pk>/", views.deltagelse_detail, name="deltagelse_detail"),
    path("deltagelser/<int:pk>/rediger/", views.deltagelse_edit, name="deltagelse_edit"),
    path("deltagelser/<int:pk>/status/", views.deltagelse_status, name="deltagelse_status"),
    path("deltagelser/<int:pk>/vedlegg/", views.vedlegg_upload, name="vedlegg_upload"),
    path("vedlegg/<int:pk>/", views.vedlegg_download, name="vedlegg_download"),
    path("vedlegg/<int:pk>/slett/", views.vedlegg_delete, name="vedlegg_delete"),
    path("mine-deltagelser/", views.mine_deltagelser, name="mine_deltagelser"),
    path("arenaer/siste/", views.deltagelser_siste, name="deltagelser_siste"),
    path("arenaer/siste.atom", feeds.siste_rapporter_atom, name="deltagelser_atom"),
    path("arenaer/kommende.ics", feeds.kommende_ical, name="deltagelser_ical"),
]
