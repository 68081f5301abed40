"""Program records in the Django admin for staff."""

from django.contrib import admin

from socready.programs.models import Control, Engagement, OrgObjective, RemediationTask, ScopingProfile

admin.site.register(ScopingProfile)
admin.site.register(OrgObjective)


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin[Engagement]):
    list_display = ["organization", "report", "report_type", "as_of_date", "period_start", "period_end"]
    list_filter = ["report", "report_type"]


@admin.register(Control)
class ControlAdmin(admin.ModelAdmin[Control]):
    list_display = ["code", "title", "organization", "status", "owner"]
    list_filter = ["status", "frequency"]
    search_fields = ["code", "title"]


@admin.register(RemediationTask)
class RemediationTaskAdmin(admin.ModelAdmin[RemediationTask]):
    list_display = ["title", "organization", "status", "due_date", "owner"]
