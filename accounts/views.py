"""The account pages under /akun/: a Bappeda's officers (list, create, import, edit, deactivate,
set-password links and their printable sheet), and every officer's own password.

Each page about one account fetches it through accounts.access (out of scope is a 404), calls one
verb of accounts.workflow and turns a WorkflowError into a message.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from musrenbang.errors import WorkflowError
from musrenbang.spreadsheets import XLSX_CONTENT_TYPE
from regions.models import Region
from uploads.access import get_upload_for_user
from uploads.forms import ImportForm
from uploads.readers import Saved, outcome_of, send_to_worker

from . import access, passwords, spreadsheet, throttle, workflow
from .filters import AccountFilterForm
from .forms import AccountForm, PasswordChangeForm, SetPasswordForm
from .models import User
from .once import sent_once

PER_PAGE = 50
# The regions offered as suggestions in the form (a datalist), at most: a kabupaten's all fit.
SUGGESTED_REGIONS = 1000
SUGGESTED_AGENCIES = 500


def _manager(request):
    if not access.may_manage_accounts(request.user):
        raise PermissionDenied
    return request.user


@login_required
@require_safe
def account_list(request):
    manager = _manager(request)
    filters = AccountFilterForm(request.GET, manager=manager)
    accounts = filters.apply(access.managed_accounts(manager)).select_related("region", "agency")
    page = Paginator(accounts, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/list.html", {"filters": filters, "page": page, "area": access.area_of(manager)})


def _suggestions(manager) -> dict:
    """The regions and agencies the form's code fields suggest, nearest the manager's level."""
    area = access.area_of(manager)
    regions = Region.objects.order_by("code")
    if area is None:
        regions = regions.filter(level__lte=2)
    else:
        regions = regions.subtree(area).filter(level__lte=area.level + 2)
    return {
        "regions": regions.only("code", "name", "kind", "level")[:SUGGESTED_REGIONS],
        "agencies": access.agencies_in_area(manager).order_by("region__code", "code")[:SUGGESTED_AGENCIES],
    }


def _form_page(request, form, account=None):
    context = {"form": form, "account": account, **_suggestions(request.user)}
    if account is not None:
        context["may_deactivate"] = access.may_deactivate(request.user, account)
        context["may_issue_link"] = access.may_issue_link(request.user, account)
        context["locked_out"] = throttle.is_locked_out(account.username)
    return render(request, "accounts/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@sent_once
def account_create(request):
    manager = _manager(request)
    form = AccountForm(request.POST or None, manager=manager)
    if request.method == "POST" and form.is_valid():
        try:
            created = workflow.create_accounts(actor=manager, accounts=[form.instance])
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The account %(username)s was created.") % {"username": created[0].username})
            passwords.remember_batch(request, created)
            return redirect("accounts:sheet")
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def account_edit(request, pk):
    account = access.get_account_for_user(request.user, pk)
    form = AccountForm(request.POST or None, instance=account, manager=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.save_account(
                actor=request.user,
                account=form.instance,
                fields=[
                    "first_name",
                    "last_name",
                    "username",
                    "role",
                    "region",
                    "agency",
                    "phone",
                    "email",
                    "is_staff",
                ],
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The account %(username)s was saved.") % {"username": account.username})
            return redirect("accounts:list")
    if form.is_bound:
        account.refresh_from_db()  # the page's heading shows the account as saved, not as typed
    return _form_page(request, form, account)


@login_required
@require_POST
def account_set_active(request, pk, active):
    account = access.get_account_for_user(request.user, pk)
    try:
        workflow.set_active(actor=request.user, account=account, active=active)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        message = _("%(username)s can log in again.") if active else _("%(username)s can no longer log in.")
        messages.success(request, message % {"username": account.username})
    return redirect("accounts:edit", pk=account.pk)


@login_required
@require_POST
def account_unlock(request, pk):
    """Lift the pause on logging in that too many failed attempts put on an officer's account."""
    account = access.get_account_for_user(request.user, pk)
    workflow.unlock(actor=request.user, account=account)
    messages.success(request, _("%(username)s may try to log in again.") % {"username": account.username})
    return redirect("accounts:edit", pk=account.pk)


@login_required
@require_POST
def account_issue_link(request, pk):
    """A new set-password link for an officer who lost theirs or forgot their password."""
    account = access.get_account_for_user(request.user, pk)
    if not access.may_issue_link(request.user, account):
        messages.error(request, _("Reactivate the account before issuing a set-password link."))
        return redirect("accounts:edit", pk=account.pk)
    passwords.remember_batch(request, [account])
    return redirect("accounts:sheet")


@never_cache
@login_required
@require_safe
def password_sheet(request):
    """The printable sheet of the last batch: username and one-time link (with its QR) per officer."""
    manager = _manager(request)
    ids = passwords.remembered_batch(request)
    accounts = (
        access.managed_accounts(manager)
        .filter(pk__in=ids, is_active=True)
        .select_related("region", "agency")
        .order_by("region__code", "username")
    )
    return render(
        request,
        "accounts/sheet.html",
        {"slips": passwords.slips(request, accounts), "valid_until": passwords.valid_until()},
    )


@login_required
@require_safe
def import_template(request):
    manager = _manager(request)
    return HttpResponse(
        spreadsheet.template_workbook(manager=manager),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": 'attachment; filename="templat-akun.xlsx"'},
    )


@login_required
@require_http_methods(["GET", "POST"])
@sent_once
def account_import(request):
    """Many accounts at once from a filled-in template, read by the background worker under the
    same rules as the account form; the officer follows the reading on the upload's page."""
    manager = _manager(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        label = _("Accounts from %(name)s")
        if sent := send_to_worker(request, form, kind=spreadsheet.KIND, label=label, user=manager):
            return sent
    return render(request, "accounts/import.html", {"form": form, "max_rows": spreadsheet.MAX_ROWS})


@login_required
@require_safe
def import_sheet(request, pk):
    """The sheet of set-password links for the accounts an import created."""
    manager = _manager(request)
    outcome = outcome_of(get_upload_for_user(manager, pk))
    if not isinstance(outcome, Saved):
        raise Http404
    passwords.remember_batch(request, [User(pk=account_id) for account_id in outcome.data.get("accounts", [])])
    return redirect("accounts:sheet")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every officer changes their own password (the old one first)."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Where a set-password link leads: the officer chooses a password, and the link is spent.

    Django's password-reset page, but a deactivated account gets the "link no longer valid" page.
    """

    template_name = "accounts/set_password.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:set_password_done")
    reset_url_token = "sandi-baru"

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None


class SetPasswordDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/set_password_done.html"
