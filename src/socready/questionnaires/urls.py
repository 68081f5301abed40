"""Tenant URLs of the questionnaires screens (included under /o/<slug>/)."""

from django.urls import URLPattern, path

from socready.questionnaires import views, views_answers, views_review
from socready.questionnaires.copies import COPIES

urlpatterns: list[URLPattern] = [
    path("questionnaires/", views.questionnaire_list, name="questionnaire-list"),
    path("questionnaires/scoping/", views.apply_asks, name="questionnaire-scoping"),
    path("questionnaires/<int:pk>/", views_answers.questionnaire_detail, name="questionnaire-detail"),
    path("questionnaires/<int:pk>/download/", views_answers.download, name="questionnaire-download"),
    *(path(f"questionnaires/<int:pk>/copies/{copy}/prepare/", views_answers.prepare_copy, {"copy": copy},
           name=f"questionnaire-prepare-{copy}") for copy in COPIES),
    path("questionnaires/<int:pk>/progress/", views_answers.reading_progress, name="questionnaire-progress"),
    path("questionnaires/<int:pk>/accept/", views_review.accept_confident, name="questionnaire-accept"),
    path("questionnaires/<int:pk>/redraft/", views_answers.redraft_view, name="questionnaire-redraft"),
    path("questionnaires/<int:pk>/delete/", views_answers.delete, name="questionnaire-delete"),
    path("questionnaires/answers/<int:pk>/", views_answers.answer_edit, name="draftanswer-edit"),
]
