from django.contrib import admin

from .models import PlanningYear, Sector, StageWindow


class StageWindowInline(admin.TabularInline):
    model = StageWindow
    autocomplete_fields = ["region"]
    extra = 0


@admin.register(PlanningYear)
class PlanningYearAdmin(admin.ModelAdmin):
    inlines = [StageWindowInline]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
