from django.contrib import admin

from .models import Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """A read-only look at every proposal for administrators; statuses change only through the
    workflow (proposals/transitions.py), so the admin neither adds, changes nor deletes.

    Tuned for 2 million rows, and measured against the app's own list by `manage.py bench`:
    the rows come in one query with their regions; the order is one the list indexes serve
    (proposal_newest and the region-leading *_newest), so a page is the head of an index scan;
    the search is on the title alone, which the trigram index on UPPER(title) answers (the
    SQL Django writes for icontains); the filters are short choice lists, never a list of
    83,000 villages; and there is no second COUNT of the whole table. Filter by region with
    ?kabupaten__id__exact=<id> (or provinsi, kecamatan, village).
    """

    list_display = [
        "tracking_code",
        "title",
        "village",
        "kecamatan",
        "sector",
        "target_agency",
        "estimated_cost",
        "status",
        "created_at",
    ]
    list_select_related = ["village", "kecamatan", "sector", "target_agency"]
    list_filter = ["status", "level", "planning_year", "sector"]
    search_fields = ["title"]
    ordering = ["-created_at", "-id"]
    sortable_by = ["created_at"]  # every offered order has its index
    show_full_result_count = False
    list_per_page = 25  # the app's page, so that the two lists are compared like for like

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
