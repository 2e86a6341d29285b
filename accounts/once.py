"""Forms that create something are sent once: a double tap on a slow line, or a reload of the
POST, must not enter the same proposals, attendees or export twice.

The form carries a one-time token (`{% once_token %}`). The view, wrapped by `@sent_once`, runs
in one transaction with a row for that token (accounts.SentForm, unique per user). A second send
of the same token waits for the first to commit (the unique row), then goes where the first went,
with a message; the first's work is not repeated. A send the view answers with the form again
(errors) releases the token, so the corrected form can be sent.
"""

from __future__ import annotations

import datetime
import uuid
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SentForm

FIELD = "once"
KEPT_FOR = datetime.timedelta(days=2)


def new_token() -> str:
    return str(uuid.uuid4())


def _token(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:  # none (a page from before the token, a script), or not one
        return None


def sent_once(view):
    """Run a creating view's POST once per form token (see the module's docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = _token(request) if request.method == "POST" and request.user.is_authenticated else None
        if token is None:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    sent = SentForm.objects.create(user=request.user, token=token)
            except IntegrityError:
                first = SentForm.objects.filter(user=request.user, token=token).first()
                messages.info(request, _("This form was sent twice; what it asked for was done once."))
                return redirect(first.result_url if first and first.result_url else request.get_full_path())
            response = view(request, *args, **kwargs)
            if response.status_code in (301, 302, 303):
                sent.result_url = response["Location"][:500]
                sent.save(update_fields=["result_url"])
            else:
                sent.delete()
        SentForm.objects.filter(user=request.user, sent_at__lt=timezone.now() - KEPT_FOR).delete()
        return response

    return wrapper
