"""The audit trail in the Django admin: readable, never editable."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from socready.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["at", "actor_label", "action", "model", "object_id", "organization"]
    list_filter = ["action", "model"]
    search_fields = ["actor_label", "object_repr"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
