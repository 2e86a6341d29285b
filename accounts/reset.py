"""A forgotten password reset by e-mail, where mail is configured (mail_configured()).

Django's password-reset pages, mounted at /akun/lupa-sandi/ (accounts/urls.py), with three
changes: the mail is sent by the background worker, never inside the request (ResetForm hands
the account to send_reset_link, which makes the link there, so no token waits in the queue's
table); the link points at PUBLIC_BASE_URL, not at whatever Host the request named; and without
mail the page says to ask the officer's Bappeda, who always can (set-password links,
accounts/passwords.py). Whether an account has that address is never revealed: the page after
the form reads the same either way.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.shortcuts import render
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import path, reverse, reverse_lazy
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from musrenbang.form_messages import SpecificMessagesMixin

from .models import User
from .views import SetPasswordView


def mail_configured() -> bool:
    """Whether this site sends mail at all: settings.MAILERS has a default mailer (EMAIL_URL or
    EMAIL_HOST set it up)."""
    return "default" in settings.MAILERS


def by_mail(request) -> dict:
    """Context processor: whether the login page offers "Forgot your password?"."""
    return {"password_reset_by_mail": mail_configured()}


class ResetForm(SpecificMessagesMixin, PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        send_reset_link.enqueue(context["user"].pk, to_email)


@task
def send_reset_link(user_id: int, email: str) -> bool:
    """The worker's job: mail a reset link, in Indonesian, to an active account at that address."""
    user = User.objects.filter(pk=user_id, is_active=True, email__iexact=email).first()
    if user is None or not mail_configured():
        return False
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = settings.PUBLIC_BASE_URL + reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)}
    )
    context = {"user": user, "link": link, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
    with translation.override("id"):
        subject = " ".join(render_to_string("registration/password_reset_subject.txt", context).split())
        body = render_to_string("registration/password_reset_email.txt", context)
    EmailMessage(subject=subject, body=body, to=[email]).send(using="default")
    return True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def dispatch(self, request, *args, **kwargs):
        if not mail_configured():
            # Nothing to send it with: the page says who resets passwords instead.
            return render(request, self.template_name, {"by_mail": False})
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(by_mail=True, **kwargs)


class PasswordResetConfirmView(SetPasswordView):
    """The set-password page (a deactivated account's link does not work), reached from the mail."""

    template_name = "registration/password_reset_confirm.html"


urlpatterns = [
    path("", PasswordResetView.as_view(), name="password_reset"),
    path("terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("<uidb64>/<token>/", PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
]
