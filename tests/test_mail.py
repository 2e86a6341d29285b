"""Mail, for real: the settings that make a mailer (EMAIL_URL, EMAIL_HOST), notifications mailed
by the background task (notifications/mail.py) and the forgotten-password reset
(accounts/reset.py), each received by a real SMTP server the test starts on 127.0.0.1.

The server is aiosmtpd in a process of its own, storing what it receives in a Maildir: its
dependency `atpublic` is a top-level module named `public`, which this project's own `public`
app shadows inside the test process, so the server runs from a directory outside the project.
"""

from __future__ import annotations

import email
import email.policy
import mailbox
import os
import re
import runpy
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from forums import workflow as forums_workflow
from forums.models import Outcome
from notifications.models import Kind, Notification

from .factories import UserFactory
from .test_notifications import at_kecamatan as at_kecamatan  # a fixture
from .test_notifications import media as media  # a fixture
from .test_notifications import prepare
from .test_notifications import secretary as secretary  # a fixture

BASE = "https://musrenbang.lampungtengahkab.go.id"
MAIL_VARIABLES = [
    "EMAIL_URL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "DEFAULT_FROM_EMAIL",
]
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def settings_for(monkeypatch, **environment) -> dict:
    """musrenbang/settings.py run afresh with these mail variables (and no others) set."""
    for name in MAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(django_settings.BASE_DIR) / "musrenbang" / "settings.py"))


def database_url() -> str:
    """The test database, for a worker process of its own."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SMTPServer:
    port: int
    maildir: Path

    def received(self) -> list[email.message.EmailMessage]:
        box = mailbox.Maildir(self.maildir, factory=None, create=False)
        messages = [email.message_from_bytes(message.as_bytes(), policy=email.policy.default) for message in box]
        return sorted(messages, key=lambda m: (m["To"], m["Subject"]))


@pytest.fixture
def smtp_server(tmp_path):
    """A real SMTP server on 127.0.0.1, keeping every message it accepts."""
    port, maildir, home = free_port(), tmp_path / "maildir", tmp_path / "smtp"
    home.mkdir()
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox"]
        + [str(maildir)],
        cwd=home,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the SMTP server did not start: {process.communicate()[1]!r}") from None
                time.sleep(0.1)
        yield SMTPServer(port, maildir)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def mail(settings, smtp_server, monkeypatch):
    """Mail configured as production configures it: EMAIL_URL pointing at the test's server."""
    produced = settings_for(
        monkeypatch,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
        DEFAULT_FROM_EMAIL="Musrenbang Lampung Tengah <musrenbang@lampungtengahkab.go.id>",
    )
    settings.MAILERS = produced["MAILERS"]
    settings.DEFAULT_FROM_EMAIL = produced["DEFAULT_FROM_EMAIL"]
    settings.PUBLIC_BASE_URL = BASE
    return smtp_server


def squashed(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- the settings ---------------------------------------------------------------------------------


def test_without_mail_variables_there_is_no_mailer(monkeypatch):
    produced = settings_for(monkeypatch)

    assert produced["MAILERS"] == {}
    assert produced["SILENCED_SYSTEM_CHECKS"] == ["mail.W001"]


@pytest.mark.parametrize(
    ("url", "options"),
    [
        (
            "submission://musrenbang%40lamteng.go.id:r%40hasia@mail.lamteng.go.id",
            {"host": "mail.lamteng.go.id", "port": 587, "use_tls": True, "use_ssl": False},
        ),
        ("smtp://musrenbang%40lamteng.go.id:r%40hasia@mail.lamteng.go.id:465?ssl=1", {"port": 465, "use_ssl": True}),
    ],
)
def test_email_url_makes_the_default_smtp_mailer(monkeypatch, url, options):
    produced = settings_for(monkeypatch, EMAIL_URL=url)

    mailer = produced["MAILERS"]["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "mail.lamteng.go.id",
        "port": 25,
        "username": "musrenbang@lamteng.go.id",
        "password": "r@hasia",
        "use_tls": False,
        "use_ssl": False,
        "timeout": 30,
        **options,
    }


def test_the_usual_email_host_variables_make_the_same_mailer(monkeypatch):
    produced = settings_for(
        monkeypatch,
        EMAIL_HOST="mail.lamteng.go.id",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="musrenbang",
        EMAIL_HOST_PASSWORD="rahasia",
        EMAIL_USE_TLS="1",
    )

    assert produced["MAILERS"]["default"]["OPTIONS"] == {
        "host": "mail.lamteng.go.id",
        "port": 587,
        "username": "musrenbang",
        "password": "rahasia",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 30,
    }


@pytest.mark.parametrize(
    "environment",
    [
        {"EMAIL_URL": "http://mail.lamteng.go.id"},
        {"EMAIL_HOST": "mail.lamteng.go.id", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"},
        {"EMAIL_HOST": "mail.lamteng.go.id", "EMAIL_PORT": "dua lima"},
    ],
)
def test_a_bad_mail_setting_stops_start_up(monkeypatch, environment):
    with pytest.raises(ImproperlyConfigured):
        settings_for(monkeypatch, **environment)


# --- notifications by mail --------------------------------------------------------------------------


def test_a_returned_item_is_mailed_in_indonesian_to_the_operators_with_an_address(
    mail,
    at_kecamatan,
    village_operator,
    secretary,
    kecamatan_operator,
):
    forum, road, _drain = at_kecamatan
    village_operator.email = "desa.kalirejo@example.id"
    village_operator.save()
    # The officer deciding reads English; the village's mail is in Indonesian all the same.
    with translation.override("en"):
        forums_workflow.decide(
            actor=kecamatan_operator,
            decision=forum.decisions.get(proposal=road),
            outcome=Outcome.RETURNED,
            reason="Lampirkan foto lokasi.",
        )

    [message] = mail.received()
    assert (message["To"], message["From"], message["X-RcptTo"]) == (
        "desa.kalirejo@example.id",
        "Musrenbang Lampung Tengah <musrenbang@lampungtengahkab.go.id>",
        "desa.kalirejo@example.id",
    )
    assert message["Subject"] == "Musrenbang: Dikembalikan untuk perbaikan: Rabat beton jalan"
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == (
        f"Yth. {village_operator.get_full_name()},\n\n"
        f"Musrenbang Kecamatan Kalirejo {forum.planning_year} mengembalikan “Rabat beton jalan” "
        f"({road.tracking_code}) ke desa untuk diperbaiki. Alasan: Lampirkan foto lokasi.\n\n"
        f"Buka di Musrenbang: {BASE}/usulan/{road.pk}/\n\n"
        "-- \n"
        f"Pesan ini dikirim otomatis oleh Musrenbang. Semua pemberitahuan Anda: {BASE}/kotak-masuk/\n"
    )
    # The secretary has no address: told in the inbox only.
    mailed = {n.recipient.username: n.mailed_at is not None for n in Notification.objects.select_related("recipient")}
    assert mailed == {"desa.kalirejo": True, "sekdes.kalirejo": False}


def test_an_approval_mails_every_item_in_one_task(mail, settings, at_kecamatan, village_operator, kecamatan_operator):
    forum, road, drain = at_kecamatan
    prepare(forum, kecamatan_operator)
    Notification.objects.all().delete()
    village_operator.email = "desa.kalirejo@example.id"
    village_operator.save()
    settings.TASKS = DATABASE_QUEUE

    forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)

    mailing = DBTaskResult.objects.filter(task_path="notifications.mail.mail_notifications")
    ids = sorted(pk for task in mailing for pk in task.args_kwargs["args"][0])
    assert ids == sorted(Notification.objects.filter(recipient=village_operator).values_list("pk", flat=True))
    # One task for the items moved on, one for the approval itself; nothing sent yet.
    assert mailing.count() == 2
    assert mail.received() == []


def test_mail_waits_for_the_worker_and_a_rolled_back_change_queues_nothing(
    mail,
    settings,
    client,
    at_kecamatan,
    village_operator,
    kecamatan_operator,
):
    forum, road, _drain = at_kecamatan
    village_operator.email = "desa.kalirejo@example.id"
    village_operator.save()
    settings.TASKS = DATABASE_QUEUE
    decision = forum.decisions.get(proposal=road)

    with pytest.raises(RuntimeError), transaction.atomic():
        forums_workflow.decide(actor=kecamatan_operator, decision=decision, outcome=Outcome.RETURNED, reason="Foto.")
        raise RuntimeError("the request failed after the decision")
    assert (Notification.objects.count(), DBTaskResult.objects.count()) == (0, 0)

    client.force_login(kecamatan_operator)
    response = client.post(
        f"/musyawarah/{forum.pk}/usulan/{decision.pk}/", {"outcome": Outcome.RETURNED, "reason": "Foto."}
    )

    assert response.status_code == 302
    notification = Notification.objects.get(recipient=village_operator)
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs["args"], task.status) == (
        "notifications.mail.mail_notifications",
        [[notification.pk]],
        "READY",
    )
    assert mail.received() == []


@pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the worker process needs the test database on a server it can reach",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_what_a_request_queued(mail, settings, client, at_kecamatan, kecamatan_operator, ladder):
    forum, road, _drain = at_kecamatan
    UserFactory(username="kades.kalirejo", email="kades@example.id", region=ladder["18.02.01.2003"])
    settings.TASKS = DATABASE_QUEUE
    client.force_login(kecamatan_operator)

    client.post(
        f"/musyawarah/{forum.pk}/usulan/{forum.decisions.get(proposal=road).pk}/",
        {"outcome": Outcome.RETURNED, "reason": "Lampirkan foto lokasi."},
    )
    assert mail.received() == []

    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=django_settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "EMAIL_URL": f"smtp://127.0.0.1:{mail.port}",
            "PUBLIC_BASE_URL": BASE,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert worker.returncode == 0, worker.stderr
    [message] = mail.received()
    assert (message["To"], message["Subject"]) == (
        "kades@example.id",
        "Musrenbang: Dikembalikan untuk perbaikan: Rabat beton jalan",
    )
    assert f"Buka di Musrenbang: {BASE}/usulan/{road.pk}/" in message.get_content()
    assert Notification.objects.get(recipient__username="kades.kalirejo").mailed_at is not None


def test_a_mail_server_that_is_down_never_undoes_the_decision(
    settings,
    at_kecamatan,
    village_operator,
    kecamatan_operator,
):
    forum, road, _drain = at_kecamatan
    village_operator.email = "desa.kalirejo@example.id"
    village_operator.save()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 5},
        }
    }

    forums_workflow.decide(
        actor=kecamatan_operator, decision=forum.decisions.get(proposal=road), outcome=Outcome.RETURNED, reason="Foto."
    )

    road.refresh_from_db()
    assert road.status == "returned"
    assert list(Notification.objects.values_list("kind", "mailed_at")) == [(Kind.RETURNED, None)]


def test_without_mail_nothing_is_queued(settings, at_kecamatan, village_operator, kecamatan_operator):
    forum, road, _drain = at_kecamatan
    village_operator.email = "desa.kalirejo@example.id"
    village_operator.save()
    settings.TASKS = DATABASE_QUEUE

    forums_workflow.decide(
        actor=kecamatan_operator, decision=forum.decisions.get(proposal=road), outcome=Outcome.RETURNED, reason="F."
    )

    assert Notification.objects.count() == 1
    assert DBTaskResult.objects.count() == 0


# --- a forgotten password -------------------------------------------------------------------------


@pytest.fixture
def officer(ladder):
    return UserFactory(
        username="desa.kalirejo",
        email="Desa.Kalirejo@example.id",
        first_name="Siti",
        last_name="Rahma",
        region=ladder["18.02.01.2003"],
    )


def test_a_forgotten_password_is_reset_through_the_mailed_link(mail, client, officer):
    response = client.post("/akun/lupa-sandi/", {"email": "desa.kalirejo@example.id"})

    assert (response.status_code, response["Location"]) == (302, "/akun/lupa-sandi/terkirim/")
    [message] = mail.received()
    assert (message["To"], message["Subject"]) == ("Desa.Kalirejo@example.id", "Musrenbang: pilih kata sandi baru")
    body = message.get_content()
    link = re.search(rf"{re.escape(BASE)}(/akun/lupa-sandi/[^/]+/[^/]+/)", body).group(1)
    assert body.startswith(
        "Yth. Siti Rahma,\n\nSeseorang, mungkin Anda sendiri, meminta untuk memilih kata sandi baru bagi akun "
        "Musrenbang desa.kalirejo. Buka tautan ini untuk memilihnya:\n\n"
    )
    assert "Tautan ini hanya berlaku satu kali, selama 72 jam." in body

    form = client.get(link)
    assert form.status_code == 302
    chosen = client.post(
        form["Location"], {"new_password1": "Kalirejo-baru-2027", "new_password2": "Kalirejo-baru-2027"}
    )

    assert (chosen.status_code, chosen["Location"]) == (302, "/akun/sandi/atur/selesai/")
    assert client.login(
        request=RequestFactory().post("/masuk/"), username="desa.kalirejo", password="Kalirejo-baru-2027"
    )
    # Spent: the link no longer works.
    assert "Tautan ini tidak berlaku lagi" in squashed(client.get(link, follow=True))


@pytest.mark.parametrize("address", ["nobody@example.id", "desa.kalirejo@example.id"])
def test_an_unknown_or_deactivated_address_reads_the_same_and_gets_no_mail(mail, client, officer, address):
    officer.is_active = False
    officer.save()

    response = client.post("/akun/lupa-sandi/", {"email": address}, follow=True)

    assert response.redirect_chain == [("/akun/lupa-sandi/terkirim/", 302)]
    assert "Jika ada akun dengan alamat itu, tautan untuk memilih kata sandi baru sedang dikirim ke sana." in (
        squashed(response)
    )
    assert mail.received() == []


def test_the_reset_mail_waits_for_the_worker_and_no_token_waits_in_the_queue(mail, settings, client, officer):
    settings.TASKS = DATABASE_QUEUE

    client.post("/akun/lupa-sandi/", {"email": "desa.kalirejo@example.id"})

    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs["args"]) == (
        "accounts.reset.send_reset_link",
        [officer.pk, "Desa.Kalirejo@example.id"],
    )
    assert mail.received() == []


def test_with_mail_the_login_page_offers_the_reset(mail, client):
    page = squashed(client.get("/masuk/"))

    assert '<a href="/akun/lupa-sandi/">Lupa kata sandi?</a>' in page


def test_without_mail_the_pages_say_to_ask_the_bappeda(settings, client, officer):
    settings.TASKS = DATABASE_QUEUE

    login = squashed(client.get("/masuk/"))
    page = squashed(client.get("/akun/lupa-sandi/"))
    posted = client.post("/akun/lupa-sandi/", {"email": "desa.kalirejo@example.id"})

    assert "/akun/lupa-sandi/" not in login
    assert "Lupa kata sandi? Mintalah tautan atur sandi kepada Bappeda Anda." in login
    assert "Situs ini tidak mengirim surel. Mintalah tautan atur sandi kepada Bappeda Anda" in page
    assert "<form" not in page.split('class="card narrow"')[1]
    assert (posted.status_code, DBTaskResult.objects.count()) == (200, 0)
