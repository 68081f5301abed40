"""Tenant URLs of the vendor screens and the between-periods page (included under /o/<slug>/)."""

from django.urls import URLPattern, path

from socready.vendors import views, views_periods, views_reading

urlpatterns: list[URLPattern] = [
    path("vendors/", views.vendor_list, name="vendor-list"),
    path("vendors/<int:pk>/", views.vendor_detail, name="vendor-detail"),
    path("vendors/<int:pk>/reports/", views.report_upload, name="vendor-report-upload"),
    path("vendors/reports/<int:pk>/", views.report_review, name="vendorreport-review"),
    path("vendors/reports/<int:pk>/progress/", views_reading.report_progress, name="vendorreport-progress"),
    path("vendors/reports/<int:pk>/retry/", views_reading.report_retry, name="vendorreport-retry"),
    path("vendors/reports/<int:pk>/remove/", views_reading.report_remove, name="vendorreport-remove"),
    path("periods/", views_periods.periods, name="vendor-periods"),
    path("periods/<int:pk>/bridge-letter/", views_periods.bridge_letter_download, name="engagement-bridge-letter"),
    path("periods/<int:pk>/roll-forward/", views_periods.engagement_roll_forward, name="engagement-roll-forward"),
]
