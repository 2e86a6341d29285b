"""The targets pages of a Bappeda: the indicators under one of its regional priorities (baseline and
target, each with its year and the plan that sets it), and each indicator's realisations year by
year, shown against the target. Access is planning.access (someone who keeps no priorities: 403;
another region's priority or indicator: 404); every change is a verb of planning.workflow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.once import sent_once
from musrenbang.errors import WorkflowError

from . import access, figures, workflow
from .forms import IndicatorForm, RealisationForm


def _indicators_page(request, priority, form, *, editing=None):
    indicators = figures.read_out(priority.indicators.prefetch_related("values"))
    context = {"priority": priority, "indicators": indicators, "form": form, "editing": editing}
    return render(request, "planning/targets.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@sent_once
def targets(request, priority_pk):
    """A priority's indicators, and a form to add one."""
    priority = access.get_priority_for_user(request.user, priority_pk)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = workflow.add_indicator(actor=request.user, priority=priority, **form.values())
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The indicator “%(name)s” was added.") % {"name": indicator.name})
            return redirect("planning:targets", priority.pk)
    return _indicators_page(request, priority, form)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, indicator_pk):
    indicator = access.get_indicator_for_user(request.user, indicator_pk)
    saved_name = indicator.name
    form = IndicatorForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.update_indicator(actor=request.user, indicator=indicator, **form.values())
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The indicator “%(name)s” was saved.") % {"name": form.cleaned_data["name"]})
            return redirect("planning:targets", indicator.priority_id)
    return _indicators_page(request, indicator.priority, form, editing=saved_name)


@login_required
@require_POST
def indicator_remove(request, indicator_pk):
    indicator = access.get_indicator_for_user(request.user, indicator_pk)
    workflow.remove_indicator(actor=request.user, indicator=indicator)
    messages.success(request, _("The indicator “%(name)s” was removed.") % {"name": indicator.name})
    return redirect("planning:targets", indicator.priority_id)


@login_required
@require_http_methods(["GET", "POST"])
@sent_once
def realisations(request, indicator_pk):
    """An indicator's realisations year by year against its baseline and target, and a form to
    record one (a year already recorded is corrected)."""
    indicator = access.get_indicator_for_user(request.user, indicator_pk)
    form = RealisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["value"][0]
        try:
            workflow.record_realisation(
                actor=request.user,
                indicator=indicator,
                year=form.cleaned_data["year"],
                value=value,
                note=form.cleaned_data["note"],
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The realisation of %(year)d was recorded: %(value)s.")
                % {"year": form.cleaned_data["year"], "value": figures.shown(indicator, value)},
            )
            return redirect("planning:realisations", indicator.pk)
    prefetch_related_objects([indicator], "values__recorded_by")
    [indicator] = figures.read_out([indicator])
    return render(request, "planning/realisations.html", {"indicator": indicator, "form": form})


@login_required
@require_POST
def realisation_remove(request, indicator_pk, year):
    indicator = access.get_indicator_for_user(request.user, indicator_pk)
    realisation = get_object_or_404(indicator.values, year=year)
    workflow.remove_realisation(actor=request.user, realisation=realisation)
    messages.success(request, _("The realisation of %(year)d was removed.") % {"year": year})
    return redirect(reverse("planning:realisations", args=[indicator.pk]))
