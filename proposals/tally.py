"""How many proposals each village has in each plan year, status and channel, kept exact by the
database: the list's count without counting the list.

A kabupaten's list counted its rows on every page: 20,248 index entries, 2.5-3 ms of the page's
17 in PostgreSQL at 2 M proposals, the largest single piece left. These rows say the same in a few
hundred: the list's count is the sum of its villages' rows (`count_of`).

PostgreSQL triggers keep the rows (migration 0021): after each INSERT, DELETE or UPDATE statement
on proposals, one grouped upsert adds the rows the statement added and takes off those it removed
or moved to another status, channel, year or region. They run inside the statement's transaction,
so a reader sees the tally and the proposals of one snapshot and the count is exact, whatever
path wrote the rows (the workflow, a spreadsheet import, the benchmark's COPY, a region's move).
One row per village keeps writers apart: a village's operator locks only the village's rows.

SQLite (the zero-setup default) has no triggers here; there `count_of` answers None and the list
counts its rows, as it does for any filter the tally cannot answer (a search, a sector, an agency).
"""

from __future__ import annotations

from django.core.exceptions import FieldError
from django.db import connection, models
from django.db.models import Sum

from .enums import Channel, Status
from .queries import RegionScoped, scope_filter

# Filters of the list (proposals/filters.py) that no tally row can answer: with any of them set,
# the list counts its rows.
UNTALLIED = ("q", "sector", "perangkat", "diserahkan")


def _tally_key(to: str):
    # Plain columns, not database foreign keys: every write of a proposal updates these rows, and
    # a constraint check on each would cost more than the rows (the proposal's own keys hold).
    # Indexed by the key and the indexes below alone.
    return models.ForeignKey(to, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")


class ProposalTally(models.Model):
    """The number of proposals (n) with this plan year, region, status and channel."""

    planning_year = _tally_key("planning.PlanningYear")
    provinsi = _tally_key("regions.Region")
    kabupaten = _tally_key("regions.Region")
    kecamatan = _tally_key("regions.Region")
    village = _tally_key("regions.Region")
    status = models.CharField(max_length=20, choices=Status.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    n = models.BigIntegerField()

    objects = RegionScoped.as_manager()

    class Meta:
        constraints = [
            # The key the triggers upsert on; it leads with the village, so it serves a village's sums.
            models.UniqueConstraint(
                fields=["village", "planning_year", "status", "channel", "kecamatan", "kabupaten", "provinsi"],
                name="proposal_tally_key",
            ),
        ]
        # The scopes a counted list has (a province's and the nation's lists are not counted).
        indexes = [
            models.Index(fields=["kabupaten", "planning_year", "status"], include=["n"], name="proposal_tally_kab"),
            models.Index(fields=["kecamatan", "planning_year", "status"], include=["n"], name="proposal_tally_kec"),
        ]

    def __str__(self):
        return f"{self.village_id} {self.planning_year_id} {self.status} {self.channel}: {self.n}"


def count_of(filterset, user) -> int | None:
    """The number of rows the proposal list shows `user` under `filterset` (a ProposalFilter, bound
    or not), summed from the tally; None when the tally cannot say (SQLite, a filter in UNTALLIED,
    an invalid choice) or when the user's scope names a column it lacks (an agency's items, a DPRD
    member's own): then the list counts its rows.

    The scope and the filters are the list's own: scope_filter(user), then the filter set's
    filters applied to tally rows, whose columns carry the proposals' names."""
    if connection.vendor != "postgresql":
        return None
    if filterset.is_bound and (
        not filterset.is_valid() or any(filterset.form.cleaned_data.get(name) for name in UNTALLIED)
    ):
        return None
    try:
        rows = ProposalTally.objects.filter(scope_filter(user))
        if filterset.is_bound:
            rows = filterset.filter_queryset(rows)
    except FieldError:  # a column of the proposals that the tally does not keep
        return None
    return rows.aggregate(n=Sum("n", default=0))["n"]
