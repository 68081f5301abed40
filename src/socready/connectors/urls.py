"""Tenant URLs of the connections screens (included under /o/<slug>/)."""

from django.urls import URLPattern, path

from socready.connectors import views

urlpatterns: list[URLPattern] = [
    path("connections/", views.connection_list, name="connection-list"),
    path("connections/new/", views.connection_new, name="connection-new"),  # ?kind=aws
    path("connections/<int:pk>/", views.connection_detail, name="connection-detail"),
    path("connections/<int:pk>/edit/", views.connection_edit, name="connection-edit"),
    path("connections/<int:pk>/run/", views.connection_run, name="connection-run"),
    path("connections/<int:pk>/delete/", views.connection_delete, name="connection-delete"),
    path("connections/runs/<int:pk>/", views.run_detail, name="run-detail"),
]
