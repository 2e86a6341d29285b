"""Forums in the admin: for looking things up only. Every change goes through the workflow (and
its pages), which checks the rules and writes the history; an edit here would bypass both, and
issued minutes must never change."""

from django.contrib import admin

from .models import Ceiling, Criterion, Decision, Forum, MinutesDocument, MonitoringTeam


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DecisionInline(admin.TabularInline):
    model = Decision
    fields = ["rank", "proposal", "outcome", "reason", "score", "adjusted_cost", "decided_by", "decided_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proposal", "decided_by")


class DocumentInline(admin.TabularInline):
    model = MinutesDocument
    fields = ["number", "revision", "issued_at", "issued_by", "sha256", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Forum)
class ForumAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "level", "kind", "status", "held_on", "team", "approved_at"]
    list_filter = ["planning_year", "level", "kind", "status"]
    list_select_related = ["planning_year", "region", "agency", "team"]
    search_fields = ["region__name", "region__code", "agency__name", "agency__short_name"]
    inlines = [DecisionInline, DocumentInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "rank", "outcome", "score", "decided_at"]
    list_filter = ["outcome", "forum__level"]
    list_select_related = ["forum__region", "forum__agency", "forum__planning_year", "proposal"]
    search_fields = ["proposal__title", "proposal__tracking_code"]


@admin.register(MinutesDocument)
class MinutesDocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "forum", "revision", "issued_at", "issued_by"]
    list_select_related = ["forum__region", "forum__agency", "forum__planning_year", "issued_by"]
    search_fields = ["number", "sha256"]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["name", "weight", "region", "planning_year"]
    list_filter = ["planning_year"]
    list_select_related = ["region", "planning_year"]


@admin.register(Ceiling)
class CeilingAdmin(ReadOnlyAdmin):
    list_display = ["region", "planning_year", "amount", "max_items"]
    list_filter = ["planning_year"]
    list_select_related = ["region", "planning_year"]


@admin.register(MonitoringTeam)
class MonitoringTeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "leader", "region", "planning_year"]
    list_filter = ["planning_year"]
    list_select_related = ["region", "planning_year"]
    search_fields = ["name", "leader", "members"]
