"""Tenant URLs: everything under /o/<slug>/."""

from django.urls import path

from socready.programs import views_dashboard

urlpatterns = [
    path("", views_dashboard.dashboard, name="org-dashboard"),
]
