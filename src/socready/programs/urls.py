"""Tenant URLs: everything under /o/<slug>/."""

from django.urls import path

from socready.programs import views_controls, views_program, views_scoping

urlpatterns = [
    path("scoping/", views_scoping.wizard, name="scoping-wizard"),
    path("scoping/step/<int:step>/", views_scoping.wizard, name="scoping-step"),
    path("scoping/result/", views_scoping.result, name="scoping-result"),
    path("engagements/", views_program.engagement_list, name="engagement-list"),
    path("engagements/<int:pk>/", views_program.engagement_edit, name="engagement-edit"),
    path("engagements/<int:pk>/delete/", views_program.engagement_delete, name="engagement-delete"),
    path("objectives/", views_program.objective_list, name="objective-list"),
    path("controls/", views_controls.control_list, name="control-list"),
    path("controls/adopt/", views_controls.adopt, name="control-adopt"),
    path("controls/new/", views_controls.control_new, name="control-new"),
    path("controls/<int:pk>/", views_controls.control_detail, name="control-detail"),
    path("controls/<int:pk>/delete/", views_controls.control_delete, name="control-delete"),
    path("tasks/", views_program.task_list, name="task-list"),
    path("tasks/<int:pk>/", views_program.task_edit, name="task-edit"),
    path("tasks/<int:pk>/delete/", views_program.task_delete, name="task-delete"),
]
