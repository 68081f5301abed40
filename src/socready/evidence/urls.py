"""Tenant URLs of the evidence screens (included under /o/<slug>/)."""

from django.urls import URLPattern, path

from socready.evidence import views, views_policy, views_population, views_requests, views_sample, views_timeline

urlpatterns: list[URLPattern] = [
    path("evidence/", views.evidence_list, name="evidence-list"),
    path("evidence/new/", views.evidence_new, name="evidence-new"),
    path("evidence/<int:pk>/", views.evidence_detail, name="evidence-detail"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence-delete"),
    path("evidence/revisions/<int:pk>/download/", views.revision_download, name="revision-download"),
    path("controls/<int:pk>/evidence/", views_timeline.control_evidence, name="control-evidence"),
    path("engagements/<int:pk>/evidence/", views_timeline.engagement_evidence, name="engagement-evidence"),
    path("requests/", views_requests.request_list, name="request-list"),
    path("requests/generate/", views_requests.request_generate, name="request-generate"),
    path("requests/<int:pk>/", views_requests.request_detail, name="request-detail"),
    path("sampling/", views_policy.sampling_policy, name="sampling-policy"),
]

urlpatterns += [
    path("populations/", views_population.population_list, name="population-list"),
    path("populations/<int:pk>/", views_population.population_detail, name="population-detail"),
    path("populations/<int:pk>/progress/", views_population.population_progress, name="population-progress"),
    path("populations/<int:pk>/sample/", views_population.population_sample, name="population-sample"),
    path("populations/<int:pk>/retry/", views_population.population_retry, name="population-retry"),
    path("samples/<int:pk>/", views_sample.sample_detail, name="sample-detail"),
    path("samples/<int:pk>/extend/", views_sample.sample_extend, name="sample-extend"),
    path("samples/<int:pk>/attributes/", views_sample.sample_attributes, name="sample-attributes"),
    path("samples/<int:pk>/test/", views_sample.sample_test, name="sample-test"),
    path("samples/<int:pk>/pass-remaining/", views_sample.sample_pass_remaining, name="sample-pass-remaining"),
]
