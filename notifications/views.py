"""The inbox at /kotak-masuk/: every officer's notifications, newest first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from . import access
from .messages import target, text
from .models import Notification

PER_PAGE = 25


@login_required
@require_safe
def inbox(request):
    page = Paginator(access.inbox_of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    links = access.openable(request.user, page.object_list)
    entries = [{"notification": n, "text": text(n), "link": n.pk in links} for n in page.object_list]
    return render(request, "notifications/inbox.html", {"page": page, "entries": entries})


@login_required
@require_safe
def open_notification(request, pk):
    """Mark one notification read and go where it leads, if the user may still go there."""
    notification = access.get_notification_for_user(request.user, pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if notification.pk not in access.openable(request.user, [notification]):
        messages.error(request, _("You can no longer open what this notification is about."))
        return redirect("notifications:inbox")
    return redirect(target(notification))


@login_required
@require_POST
def mark_all_read(request):
    count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        messages.success(
            request,
            ngettext("%(n)d notification marked as read.", "%(n)d notifications marked as read.", count) % {"n": count},
        )
    return redirect("notifications:inbox")
