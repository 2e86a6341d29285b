"""A forum's details and its delegates (attendance: attendance.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.once import sent_once

from .. import access, queries, workflow
from ..forms import DelegateForm, ForumDetailsForm
from .pages import forum_page


@login_required
@require_http_methods(["GET", "POST"])
def forum_edit(request, pk):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    form = ForumDetailsForm(request.POST or None, instance=forum)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.update_forum(actor=request.user, forum=forum, **form.details())
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The forum's details were saved."))
        return redirect(forum)
    return forum_page(request, "forums/edit.html", forum, form=form)


# --- delegates -----------------------------------------------------------------------------


def _people_page(request, pk, *, template, form_class, add, related, limit=None):
    """A list, a form to add one person, a button to remove one: the delegates (attendance, which
    grows to hundreds, has a table of its own in attendance.py)."""
    forum = access.get_forum_for_user(request.user, pk, write=request.method == "POST")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = add(actor=request.user, forum=forum, **form.cleaned_data)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.name})
            return redirect(request.path)
    people = list(getattr(forum, related).all())
    return forum_page(
        request,
        template,
        forum,
        form=form,
        people=people,
        can_add=limit is None or len(people) < limit,
        min_delegates=queries.MIN_DELEGATES,
        max_delegates=queries.MAX_DELEGATES,
    )


@login_required
@require_http_methods(["GET", "POST"])
@sent_once
def delegates(request, pk):
    return _people_page(
        request,
        pk,
        template="forums/delegates.html",
        form_class=DelegateForm,
        add=workflow.add_delegate,
        related="delegates",
        limit=queries.MAX_DELEGATES,
    )


def _remove_person(request, pk, person_pk, *, related, remove, done, back):
    forum = access.get_forum_for_user(request.user, pk, write=True)
    person = get_object_or_404(getattr(forum, related), pk=person_pk)
    try:
        remove(actor=request.user, person=person)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"name": person.name})
    return redirect(back, forum.pk)


@login_required
@require_POST
def delegate_remove(request, pk, delegate_pk):
    return _remove_person(
        request,
        pk,
        delegate_pk,
        related="delegates",
        remove=lambda actor, person: workflow.remove_delegate(actor=actor, delegate=person),
        done=_("%(name)s is no longer a delegate."),
        back="forums:delegates",
    )
