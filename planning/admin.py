from django.contrib import admin

from .models import PlanningYear, StageWindow


class StageWindowInline(admin.TabularInline):
    model = StageWindow
    autocomplete_fields = ["region"]
    extra = 0


@admin.register(PlanningYear)
class PlanningYearAdmin(admin.ModelAdmin):
    inlines = [StageWindowInline]
