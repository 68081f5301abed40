"""The dashboard's tenant URL."""

from django.urls import path

from socready.dashboard import views

urlpatterns = [
    path("", views.dashboard, name="org-dashboard"),
]
