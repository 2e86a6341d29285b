"""Past one machine: a read replica, files in an S3-compatible bucket, a shared cache (docs/deploy.md).

Settings are read from the environment once, at start-up; the tests that check what an
environment variable does run musrenbang/settings.py afresh with that environment
(`settings_for`) and then install exactly what it produced.

The replica of a test run is the test database itself, reached through a second connection
(the "replica" alias, a test mirror of "default"): the rows are the same, so what a test learns
from it is which connection ran which query. Those tests are transactional, since rows written
inside the test's own transaction would be invisible to the second connection.

The bucket is real: moto's standalone S3 server, started once for the session on a free local
port, spoken to over HTTP by django-storages exactly as it would speak to MinIO or a cloud.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import runpy
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext

from forums.models import Forum, MinutesDocument
from musrenbang import settings as settings_module
from musrenbang.routers import REPLICA, ReplicaRouter, reading_from_replica
from proposals.models import Attachment, Proposal
from regions.models import Level

from .factories import ProposalFactory
from .test_forum_pages import prepare, submit
from .test_intake import form_data, pdf, photo

KALIREJO, PURWODADI, MERAK_BATIN = "18.02.01.2003", "18.02.02.2001", "18.01.01.2001"
DEPLOY_VARIABLES = [
    "DATABASE_REPLICA_URL",
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_REGION",
    "CACHE_URL",
]

# The replica alias, added before pytest-django sets up the test databases (it reads DATABASES
# when the first database test starts, after collection): a mirror shares the test database.
_default = django_settings.DATABASES[DEFAULT_DB_ALIAS]
django_settings.DATABASES.setdefault(
    REPLICA, {**_default, "TEST": {**_default.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS}}
)


def settings_for(monkeypatch: pytest.MonkeyPatch, **environment: str) -> dict:
    """musrenbang/settings.py run afresh with these deploy variables (and no others) set."""
    for name in DEPLOY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(settings_module.__file__)


def tables(captured: CaptureQueriesContext) -> set[str]:
    """The tables the captured queries read from or wrote to."""
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    return set(re.findall(r'(?:FROM|JOIN|INTO|UPDATE) "(\w+)"', sql))


# --- the settings each variable produces ------------------------------------------------------


def test_without_a_replica_url_there_is_no_replica_router_or_middleware(monkeypatch):
    produced = settings_for(monkeypatch)

    assert list(produced["DATABASES"]) == ["default"]
    assert produced["DATABASE_ROUTERS"] == []
    assert "musrenbang.middleware.ReplicaReadsMiddleware" not in produced["MIDDLEWARE"]


def test_a_replica_url_adds_the_replica_its_router_and_its_middleware(monkeypatch):
    produced = settings_for(monkeypatch, DATABASE_REPLICA_URL="postgres://reader:secret@db-replica:5433/musrenbang")

    replica = produced["DATABASES"]["replica"]
    assert (replica["ENGINE"], replica["HOST"], replica["PORT"], replica["NAME"], replica["USER"]) == (
        "django.db.backends.postgresql",
        "db-replica",
        5433,
        "musrenbang",
        "reader",
    )
    assert (replica["CONN_MAX_AGE"], replica["CONN_HEALTH_CHECKS"]) == (
        produced["DATABASES"]["default"]["CONN_MAX_AGE"],
        True,
    )
    assert produced["DATABASE_ROUTERS"] == ["musrenbang.routers.ReplicaRouter"]
    assert produced["MIDDLEWARE"][-1] == "musrenbang.middleware.ReplicaReadsMiddleware"
    assert produced["MIDDLEWARE"][:-1] == settings_for(monkeypatch)["MIDDLEWARE"]


def test_without_a_bucket_files_stay_on_the_local_disk(monkeypatch):
    produced = settings_for(monkeypatch)

    assert produced["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_moves_uploads_and_minutes_into_private_object_storage(monkeypatch):
    produced = settings_for(
        monkeypatch,
        S3_BUCKET="musrenbang-files",
        S3_ENDPOINT_URL="https://minio.example.go.id",
        S3_ACCESS_KEY_ID="key",
        S3_SECRET_ACCESS_KEY="secret",
        S3_REGION="ap-southeast-3",
    )

    storage = produced["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "musrenbang-files",
        "endpoint_url": "https://minio.example.go.id",
        "access_key": "key",
        "secret_key": "secret",
        "region_name": "ap-southeast-3",
        "addressing_style": "path",
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
        "transfer_config": storage["OPTIONS"]["transfer_config"],
    }
    assert storage["OPTIONS"]["transfer_config"].use_threads is False
    assert produced["STORAGES"]["staticfiles"] == settings_for(monkeypatch)["STORAGES"]["staticfiles"]


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache", None),
        ("db://", "django.core.cache.backends.db.DatabaseCache", "musrenbang_cache"),
        ("db://shared_cache", "django.core.cache.backends.db.DatabaseCache", "shared_cache"),
    ],
)
def test_cache_url_chooses_the_cache(monkeypatch, url, backend, location):
    produced = settings_for(monkeypatch, CACHE_URL=url)

    assert (produced["CACHES"]["default"]["BACKEND"], produced["CACHES"]["default"].get("LOCATION")) == (
        backend,
        location,
    )


@pytest.mark.skipif(importlib.util.find_spec("redis") is not None, reason="the redis package is installed here")
def test_a_redis_cache_without_the_redis_package_stops_start_up(monkeypatch):
    with pytest.raises(ImproperlyConfigured) as refused:
        settings_for(monkeypatch, CACHE_URL="redis://cache.internal:6379/0")

    assert str(refused.value) == "CACHE_URL is a Redis address, but the redis package is not installed"


def test_an_unknown_cache_url_stops_start_up(monkeypatch):
    with pytest.raises(ImproperlyConfigured) as refused:
        settings_for(monkeypatch, CACHE_URL="memcached://cache:11211")

    assert str(refused.value) == "CACHE_URL must start with redis://, rediss:// or db://, not 'memcached://cache:11211'"


def test_the_database_cache_is_shared_through_its_table(monkeypatch, settings, db):
    settings.CACHES = settings_for(monkeypatch, CACHE_URL="db://shared_cache")["CACHES"]
    call_command("createcachetable", verbosity=0)

    caches["default"].set("summary:18.02", {"proposals": 3}, 60)

    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT cache_key FROM shared_cache")
        assert [row[0] for row in cursor.fetchall()] == [":1:summary:18.02"]
    assert caches["default"].get("summary:18.02") == {"proposals": 3}


def test_the_env_file_example_lists_every_variable_the_settings_read():
    source = Path(settings_module.__file__).read_text()
    read = set(re.findall(r'(?:os\.getenv\(|os\.environ\[|envbool\(|envint\(|envlist\()"([A-Z0-9_]+)"', source))
    example = (Path(settings_module.__file__).parent.parent / "deploy" / "musrenbang.env.example").read_text()
    for_settings, for_gunicorn = example.split("# --- read by gunicorn")

    assert set(re.findall(r"^([A-Z0-9_]+)=", for_settings, re.MULTILINE)) == read
    assert re.findall(r"^([A-Z0-9_]+)=", for_gunicorn, re.MULTILINE) == ["WEB_CONCURRENCY", "GUNICORN_BIND"]


# --- the read replica -----------------------------------------------------------------------------


@pytest.fixture
def replica(monkeypatch, settings, db):
    """The router and middleware a DATABASE_REPLICA_URL installs, over the mirrored replica."""
    produced = settings_for(monkeypatch, DATABASE_REPLICA_URL="postgres://reader@replica/musrenbang")
    settings.DATABASE_ROUTERS = produced["DATABASE_ROUTERS"]
    settings.MIDDLEWARE = produced["MIDDLEWARE"]
    settings.REPLICA_READ_NAMESPACES = produced["REPLICA_READ_NAMESPACES"]
    settings.REPLICA_READ_EXPORTS = produced["REPLICA_READ_EXPORTS"]
    yield connections[REPLICA]
    # Before the test database is emptied (or dropped at the end): an open second connection
    # would hold it.
    connections[REPLICA].close()


@pytest.fixture
def captured(replica):
    """Every query of a block, per connection: `with captured() as (primary, replica): ...`."""

    @contextmanager
    def both():
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary, CaptureQueriesContext(replica) as read:
            yield primary, read

    return both


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


replica_test = pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"])


@replica_test
def test_the_public_tracking_page_reads_from_the_replica(english, captured, ladder):
    proposal = ProposalFactory(submitted=True, village=ladder[KALIREJO], title="Jembatan gantung Dusun Sukamaju")

    with captured() as (primary, replica):
        response = english.get(f"/lacak/{proposal.tracking_code}/")

    page = response.content.decode()
    assert "<h1>Jembatan gantung Dusun Sukamaju</h1>" in page
    assert proposal.tracking_code in page
    assert "proposals_proposal" in tables(replica)
    assert primary.captured_queries == []  # an anonymous visitor has no session to read


@replica_test
def test_the_staff_dashboard_reads_figures_from_the_replica_and_the_session_from_the_primary(
    english, captured, ladder, bappeda_kabupaten
):
    for code, cost in [(KALIREJO, 100_000_000), (KALIREJO, 40_000_000), (PURWODADI, 25_000_000)]:
        ProposalFactory(submitted=True, village=ladder[code], estimated_cost=cost)
    ProposalFactory(submitted=True, village=ladder[MERAK_BATIN])  # another kabupaten: not counted
    english.force_login(bappeda_kabupaten)

    with captured() as (primary, replica):
        response = english.get("/dasbor/")

    board = response.context["board"]
    assert (board.count, board.total) == (3, 165_000_000)
    assert "Rp165.000.000" in response.content.decode()
    # The login a moment ago wrote the session on the primary: a lagging replica would not have it.
    # (The officer is read with their region and agency, accounts/backends.py.)
    assert tables(primary) == {"django_session", "accounts_user", "regions_region", "regions_agency"}
    assert "proposals_proposal" in tables(replica)
    assert not tables(replica) & {"django_session", "accounts_user"}


@replica_test
def test_the_proposal_list_reads_from_the_primary_and_its_export_from_the_replica(
    english, captured, ladder, village_operator
):
    ProposalFactory(submitted=True, village=ladder[KALIREJO], title="Sumur bor mushola Al-Ikhlas")
    english.force_login(village_operator)

    with captured() as (page_primary, page_replica):
        page = english.get("/usulan/")
    with captured() as (export_primary, export_replica):
        export = english.get("/usulan/?_export=csv")

    assert "Sumur bor mushola Al-Ikhlas" in page.content.decode()
    assert "proposals_proposal" in tables(page_primary)
    assert page_replica.captured_queries == []
    assert "Sumur bor mushola Al-Ikhlas" in export.content.decode()
    assert "proposals_proposal" in tables(export_replica)
    assert tables(export_primary) == {"django_session", "accounts_user", "regions_region", "regions_agency"}


@replica_test
def test_a_post_to_a_public_page_runs_on_the_primary(english, captured, ladder):
    with captured() as (primary, replica):
        response = english.post("/verifikasi/", {"file": pdf("berita-acara.pdf")})

    assert "Not an issued document." in response.content.decode()
    assert "forums_minutesdocument" in tables(primary)
    assert replica.captured_queries == []


@replica_test
def test_a_staff_write_runs_on_the_primary(english, captured, ladder, village_operator):
    draft = ProposalFactory(village=ladder[KALIREJO], created_by=village_operator)
    english.force_login(village_operator)

    with captured() as (primary, replica):
        response = english.post(f"/usulan/{draft.pk}/hapus/")

    assert response["Location"] == "/usulan/"
    assert not Proposal.objects.filter(pk=draft.pk).exists()
    assert "proposals_proposal" in tables(primary)
    assert replica.captured_queries == []


@replica_test
def test_a_read_inside_a_transaction_stays_on_the_primary(captured, ladder):
    ProposalFactory(submitted=True, village=ladder[KALIREJO], title="Talud")
    titles = Proposal.objects.values_list("title", flat=True)

    with captured() as (primary, replica), reading_from_replica():
        outside = list(titles.all())
        with transaction.atomic():
            inside = list(titles.all())

    assert outside == inside == ["Talud"]
    assert [q["sql"] for q in replica.captured_queries if q["sql"].startswith("SELECT")] == [str(titles.query)]
    assert [q["sql"] for q in primary.captured_queries if q["sql"].startswith("SELECT")] == [str(titles.query)]


def test_migrations_run_on_the_primary_only():
    router = ReplicaRouter()

    assert [router.allow_migrate(alias, "proposals") for alias in ("default", "replica")] == [True, False]


# --- object storage ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's S3-compatible server on a free local port, for the whole session: its address."""
    program = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which("moto_server")
    assert program, "moto_server is missing: install requirements.txt (moto[server])"
    port = _free_port()
    # Its log goes to a file, not a pipe nobody reads: a full pipe would stall the server.
    log = tmp_path_factory.mktemp("moto") / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen([program, "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=out)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(address, timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not start:\n{log.read_text()}") from None
                time.sleep(0.1)
        yield address
    finally:
        server.terminate()
        server.wait(timeout=10)


class Bucket:
    """The test's bucket as boto3 sees it, apart from the app."""

    def __init__(self, address: str):
        self.name = f"musrenbang-{uuid.uuid4().hex[:12]}"
        self.s3 = boto3.client(
            "s3", endpoint_url=address, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
        )
        self.s3.create_bucket(Bucket=self.name)

    def objects(self) -> dict[str, bytes]:
        listing = self.s3.list_objects_v2(Bucket=self.name).get("Contents", [])
        return {item["Key"]: self.s3.get_object(Bucket=self.name, Key=item["Key"])["Body"].read() for item in listing}

    def is_private(self, key: str) -> bool:
        """Only the bucket's owner has any grant on the object."""
        grants = self.s3.get_object_acl(Bucket=self.name, Key=key)["Grants"]
        return [(grant["Grantee"]["Type"], grant["Permission"]) for grant in grants] == [
            ("CanonicalUser", "FULL_CONTROL")
        ]


@pytest.fixture
def bucket(s3_server, monkeypatch, settings, tmp_path) -> Bucket:
    """A new empty bucket, and the storage S3_BUCKET and friends configure, installed as the default.
    MEDIA_ROOT points at a folder that does not exist, and must not come to."""
    made = Bucket(s3_server)
    produced = settings_for(
        monkeypatch,
        S3_BUCKET=made.name,
        S3_ENDPOINT_URL=s3_server,
        S3_ACCESS_KEY_ID="test",
        S3_SECRET_ACCESS_KEY="test",
        S3_REGION="us-east-1",
    )
    settings.STORAGES = produced["STORAGES"]
    settings.MEDIA_ROOT = tmp_path / "media"
    return made


def downloaded(response) -> bytes:
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def test_a_village_uploads_its_attachments_into_the_bucket_and_downloads_them_from_it(
    english, bucket, village_operator, intake, settings
):
    uploads = {"jalan.png": photo("jalan.png"), "proposal desa.pdf": pdf("proposal desa.pdf")}
    sent = {name: upload.read() for name, upload in uploads.items()}
    for upload in uploads.values():
        upload.seek(0)
    english.force_login(village_operator)

    response = english.post(
        "/usulan/baru/",
        {**form_data(), "photos": [uploads["jalan.png"]], "proposal_document": uploads["proposal desa.pdf"]},
    )

    proposal = Proposal.objects.get()
    assert response["Location"] == f"/usulan/{proposal.pk}/"
    attachments = {a.original_name: a for a in proposal.attachments.all()}
    assert set(attachments) == {"jalan.jpg", "proposal desa.pdf"}  # the photo is kept as JPEG
    stored = bucket.objects()
    assert set(stored) == {a.file.name for a in attachments.values()}
    assert stored[attachments["proposal desa.pdf"].file.name] == sent["proposal desa.pdf"]
    assert stored[attachments["jalan.jpg"].file.name].startswith(b"\xff\xd8")  # a JPEG
    assert all(bucket.is_private(a.file.name) for a in attachments.values())
    for attachment in attachments.values():
        assert (
            downloaded(english.get(f"/usulan/{proposal.pk}/lampiran/{attachment.pk}/")) == stored[attachment.file.name]
        )
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing went to the local disk


def test_deleting_a_draft_deletes_its_files_from_the_bucket(
    english, bucket, village_operator, intake, django_capture_on_commit_callbacks
):
    english.force_login(village_operator)
    english.post("/usulan/baru/", {**form_data(), "proposal_document": pdf("proposal.pdf")})
    proposal = Proposal.objects.get()
    assert len(bucket.objects()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(f"/usulan/{proposal.pk}/hapus/")

    assert response["Location"] == "/usulan/"
    assert (Proposal.objects.count(), Attachment.objects.count()) == (0, 0)
    assert bucket.objects() == {}


def _desa_forum_ready_to_approve(operator, pupr) -> Forum:
    """Two items submitted into Desa Kalirejo's Musrenbang, decided, with details and delegates."""
    submit(operator, "Rabat beton jalan Dusun Karangsari", target_agency=pupr)
    submit(operator, "Drainase jalan poros desa", target_agency=pupr)
    forum = Forum.objects.get(level=Level.DESA, region=operator.region)
    prepare(forum, operator)
    return forum


def test_an_approved_forums_minutes_are_stored_in_the_bucket_and_served_from_it(
    english, bucket, village_operator, intake, pupr
):
    forum = _desa_forum_ready_to_approve(village_operator, pupr)
    english.force_login(village_operator)

    response = english.post(f"/musyawarah/{forum.pk}/setujui/")

    assert response["Location"] == f"/musyawarah/{forum.pk}/"
    document = MinutesDocument.objects.get(forum=forum)
    stored = bucket.objects()
    assert list(stored) == [document.pdf.name]
    assert document.pdf.name.startswith(f"minutes/{forum.planning_year.year}/{forum.pk}/")
    pdf_bytes = stored[document.pdf.name]
    assert pdf_bytes.startswith(b"%PDF-")
    assert (hashlib.sha256(pdf_bytes).hexdigest(), len(pdf_bytes)) == (document.sha256, document.size)
    assert bucket.is_private(document.pdf.name)
    assert downloaded(english.get(f"/musyawarah/{forum.pk}/dokumen/{document.pk}/")) == pdf_bytes
    english.logout()
    assert downloaded(english.get(f"/hasil/dokumen/{document.verify_code}.pdf")) == pdf_bytes


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    """`manage.py check --deploy` as a deployment runs it (DEBUG off, a real secret, its host, on
    PostgreSQL): no warning at all, so that a setting that weakens production shows up here first."""
    root = Path(__file__).resolve().parent.parent
    environment = {
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DEBUG": "0",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "musrenbang.lampungtengahkab.go.id",
        "EMAIL_URL": "smtp://127.0.0.1:2525",
    }
    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues (0 silenced)." in checked.stdout
