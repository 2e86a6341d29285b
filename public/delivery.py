"""What anyone may read about the delivery of the plan (delivery/): on a proposal's tracking page,
its stage, progress, money and the agency's dated reports with the photos marked public; on a
region's accountability page, every item its plan took in with the same facts.

As everywhere in public/, the pages get plain dataclasses built field by field: never who
reported, never the proposer, never a photo not marked public.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from delivery.models import Delivery, Report, ReportPhoto, Stage
from proposals.enums import Status
from proposals.models import Proposal

from .queries import normalize_tracking_code


@dataclass(frozen=True)
class PublicReport:
    as_of: datetime.date
    stage: str
    progress: int | None  # None for an item not carried out: no bar at 0 % for work that never began
    note: str
    photo_urls: tuple[str, ...]


@dataclass(frozen=True)
class PublicDelivery:
    stage: str
    stage_code: str
    progress: int
    budget_year: int | None
    budget_amount: int | None
    contract_value: int | None
    completed_on: datetime.date | None
    final_cost: int | None
    output_volume: Decimal | None
    unit: str
    reason: str
    reports: tuple[PublicReport, ...]


def delivery_of(proposal: Proposal) -> PublicDelivery | None:
    """The public delivery of an accommodated proposal, or None (three queries: the delivery, its
    reports, their public photos)."""
    if proposal.status != Status.ACCOMMODATED:
        return None
    delivery = (
        Delivery.objects.filter(pk=proposal.pk)
        .prefetch_related(
            Prefetch(
                "reports", Report.objects.prefetch_related(Prefetch("photos", ReportPhoto.objects.filter(public=True)))
            )
        )
        .first()
    )
    if delivery is None:
        return None
    return PublicDelivery(
        stage=delivery.get_stage_display(),
        stage_code=delivery.stage,
        progress=delivery.progress,
        budget_year=delivery.budget_year,
        budget_amount=delivery.budget_amount,
        contract_value=delivery.contract_value,
        completed_on=delivery.completed_on,
        final_cost=delivery.final_cost,
        output_volume=delivery.output_volume,
        unit=proposal.unit,
        reason=delivery.reason,
        reports=tuple(
            PublicReport(
                as_of=report.as_of,
                stage=report.get_stage_display(),
                progress=None if report.stage == Stage.DROPPED else report.progress,
                note=report.note,
                photo_urls=tuple(
                    reverse("public:delivery_photo", args=[proposal.tracking_code, photo.pk])
                    for photo in report.photos.all()
                ),
            )
            for report in delivery.reports.all()
        ),
    )


def public_delivery_photo(code: str, pk: int) -> ReportPhoto | None:
    normalized = normalize_tracking_code(code)
    if normalized is None:
        return None
    return ReportPhoto.objects.filter(
        pk=pk,
        public=True,
        report__delivery__proposal__tracking_code=normalized,
        report__delivery__proposal__status=Status.ACCOMMODATED,
    ).first()


@dataclass(frozen=True)
class AccountableItem:
    tracking_code: str
    title: str
    village: str
    agency: str
    stage: str
    progress: int | None
    agreed_cost: int | None
    final_cost: int | None


def accountability(region, planning_year) -> tuple[dict[str, int], object]:
    """(items per stage, "none" for not reported yet; the items themselves as a queryset to page)
    for a kabupaten or kecamatan and one plan year."""
    items = Proposal.objects.in_region(region).filter(planning_year=planning_year, status=Status.ACCOMMODATED)
    counts = items.aggregate(
        total=Count("pk"),
        none=Count("pk", filter=Q(delivery__isnull=True)),
        **{stage.value: Count("pk", filter=Q(delivery__stage=stage)) for stage in Stage},
    )
    rows = items.select_related("village", "current_agency", "delivery").order_by(
        "kecamatan__code", "village__code", "pk"
    )
    return counts, rows


def accountable(proposal: Proposal) -> AccountableItem:
    delivery = getattr(proposal, "delivery", None)  # none yet: Django's RelatedObjectDoesNotExist
    return AccountableItem(
        tracking_code=proposal.tracking_code,
        title=proposal.title,
        village=proposal.village.name,
        agency=str(proposal.current_agency) if proposal.current_agency else "",
        stage=delivery.get_stage_display() if delivery else "",
        progress=delivery.progress if delivery and delivery.stage != Stage.DROPPED else None,
        agreed_cost=proposal.agreed_cost,
        final_cost=delivery.final_cost if delivery else None,
    )
