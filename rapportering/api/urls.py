from django.urls import path

from . import views

urlpatterns = [
    path("sluttevalueringer/", views.SluttevalueringList.as_view(), name="sluttevaluering-list"),
    path("sluttevalueringer/<str:program>/", views.SluttevalueringDetail.as_view(), name="sluttevaluering-detail"),
]
