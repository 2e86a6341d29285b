"""What Bappeda sets for a planning year: the ranking criteria and the kecamatan ceilings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from planning.access import can_set_planning
from planning.years import chosen_year

from .. import access, queries
from ..forms import CeilingForms, criteria_formset
from ..workflow.weighing import NOT_PLACED, SUPPORTS


def _year_to_set(request, may_set):
    """The planning year asked for (?year=), and all of them, for a user who may set its rules."""
    if not may_set(request.user):
        raise PermissionDenied
    year, years = chosen_year(request)
    if year is None:
        raise Http404
    return year, years


@login_required
@require_http_methods(["GET", "POST"])
def criteria_edit(request):
    year, years = _year_to_set(request, can_set_planning)
    formset = criteria_formset(request.POST or None, current=queries.criteria_set_by(request.user.region, year))
    if request.method == "POST" and formset.is_valid() and formset.save(actor=request.user, planning_year=year):
        messages.success(request, _("The ranking criteria for %(year)s were saved.") % {"year": year})
        return redirect(f"{request.path}?year={year.year}")
    return render(
        request,
        "forums/criteria.html",
        {
            "formset": formset,
            "refused": formset.refused,
            "year": year,
            "years": years,
            "region": request.user.region,
            "supports": SUPPORTS,
            "not_placed": NOT_PLACED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ceilings_edit(request):
    """Every kecamatan's ceiling on one page, saved together or not at all."""
    year, years = _year_to_set(request, access.can_set_ceilings)
    kecamatans, ceilings = queries.kecamatan_ceilings(request.user.region, year)
    rows = CeilingForms(request.POST or None, kecamatans=kecamatans, ceilings=ceilings)
    if request.method == "POST" and rows.is_valid() and rows.save(actor=request.user, planning_year=year):
        messages.success(request, _("The ceilings for %(year)s were saved.") % {"year": year})
        return redirect(f"{request.path}?year={year.year}")
    return render(
        request,
        "forums/ceilings.html",
        {"rows": rows, "year": year, "years": years, "region": request.user.region},
    )
