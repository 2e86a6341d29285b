from django.contrib import admin

from .models import Agency, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "level"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    # 91,000 rows: never count them all on each page (performance notes).
    show_full_result_count = False


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "region"]
    search_fields = ["code", "name", "short_name", "region__name"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
