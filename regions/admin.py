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

    def get_readonly_fields(self, request, obj=None):
        # A region's code is its identity: the importer keys on it and forums keep a copy of it
        # (Forum.region_code). A region whose code Kemendagri changes comes in as a new region.
        return ["code"] if obj is not None else []


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "region"]
    search_fields = ["code", "name", "short_name", "region__name"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
