"""Tenant URLs owned by accounts: the organization's people and its audit trail."""

from django.urls import path

from socready.accounts import views_audit, views_members

urlpatterns = [
    path("people/", views_members.member_list, name="member-list"),
    path("people/<int:pk>/role/", views_members.member_role, name="member-role"),
    path("people/<int:pk>/remove/", views_members.member_remove, name="member-remove"),
    path("audit/", views_audit.audit_log, name="audit-log"),
]
