"""The audit log: who changed the rules of a planning year, a forum's meeting, an account, and who
logged in; read by each Bappeda for its own region, by the administrator for all, by nobody else."""

import csv
import datetime
import io
import json
from html.parser import HTMLParser

import openpyxl
import pytest
from auditlog.context import disable_auditlog, set_actor
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from audit import access
from audit.models import EntryRegion
from audit.recording import client_ip, logged_in
from downloads.models import Download, State
from forums import workflow as forums_workflow
from forums.models import Forum, Gender
from forums.workflow.ladder import forum_for
from planning import workflow as planning_workflow
from regions.models import Level

from .factories import UserFactory, open_intake

PERSONAS = [
    "village_operator",
    "neighbour_village_operator",
    "kecamatan_operator",
    "other_kecamatan_operator",
    "agency_officer",
    "other_agency_officer",
    "bappeda_kabupaten",
    "other_bappeda_kabupaten",
    "bappeda_provinsi",
    "other_bappeda_provinsi",
    "admin_user",
]
READS = {
    "bappeda_kabupaten": "18.02",
    "other_bappeda_kabupaten": "18.01",
    "bappeda_provinsi": "18",
    "other_bappeda_provinsi": "17",
    "admin_user": "",
}


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def year(ladder):
    return open_intake(ladder["18.02"]).planning_year


def forget_the_past():
    """Start from an empty log: creating the personas and logging them in wrote entries."""
    LogEntry.objects.all().delete()


class _Table(HTMLParser):
    """The text of each cell of a page's table body, row by row."""

    def __init__(self):
        super().__init__()
        self.rows, self.in_body, self.cell = [], False, None

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag == "td":
            self.cell = []
        elif self.cell is not None and tag in ("br", "li"):
            self.cell.append(" | ")

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif tag == "td" and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()).strip(" |"))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    parser = _Table()
    parser.feed(response.content.decode())
    return parser.rows


def kinds_and_objects(response) -> list[tuple[str, str]]:
    return [(row[2], row[3].split(" | ")[0]) for row in rows_of(response)]


def log_in(client, user):
    """Log in without writing a login entry, so that a test's log holds only what it made."""
    with disable_auditlog():
        client.force_login(user)


def ceiling(actor, year, kecamatan, amount):
    with set_actor(actor):
        forums_workflow.set_ceiling(actor=actor, planning_year=year, kecamatan=kecamatan, amount=amount)


# The ceiling cut of the issue


def ceilings_post(year, kecamatan, amount) -> dict:
    return {"year": str(year.year), f"k{kecamatan.pk}-amount": amount, f"k{kecamatan.pk}-max_items": ""}


def test_a_ceiling_cut_shows_who_made_it_and_both_amounts_in_rupiah(client, bappeda_kabupaten, ladder, year):
    bappeda_kabupaten.first_name, bappeda_kabupaten.last_name = "Siti", "Rahayu"
    bappeda_kabupaten.save()
    kalirejo = ladder["18.02.01"]
    client.force_login(bappeda_kabupaten)
    assert client.post("/musyawarah/pagu/", ceilings_post(year, kalirejo, "1.500.000.000")).status_code == 302
    assert client.post("/musyawarah/pagu/", ceilings_post(year, kalirejo, "600.000.000")).status_code == 302

    cut = LogEntry.objects.filter(action=LogEntry.Action.UPDATE, content_type__model="ceiling").get()
    assert (cut.actor, cut.changes) == (bappeda_kabupaten, {"amount": ["1500000000", "600000000"]})
    page = client.get("/jejak/?kind=ceiling")
    assert [row[1:5] for row in rows_of(page)] == [
        [
            "Siti Rahayu",
            "Pagu | diubah",
            f"Kecamatan Kalirejo RKPD {year.year} | Kecamatan Kalirejo",
            "Pagu indikatif (Rp): Rp1.500.000.000 → Rp600.000.000",
        ],
        [
            "Siti Rahayu",
            "Pagu | dibuat",
            f"Kecamatan Kalirejo RKPD {year.year} | Kecamatan Kalirejo",
            f"Tahun perencanaan: — → RKPD {year.year} | Kecamatan: — → Kecamatan Kalirejo (18.02.01) | "
            "Pagu indikatif (Rp): — → Rp1.500.000.000",
        ],
    ]
    assert rows_of(page)[0][0] == timezone.localtime(cut.timestamp).strftime("%d/%m/%Y %H.%M")


def test_the_ceiling_cut_through_the_workflow_names_its_actor_in_english(english, bappeda_kabupaten, ladder, year):
    ceiling(bappeda_kabupaten, year, ladder["18.02.01"], 1_500_000_000)
    ceiling(bappeda_kabupaten, year, ladder["18.02.01"], 600_000_000)
    log_in(english, bappeda_kabupaten)

    rows = rows_of(english.get("/jejak/?kind=ceiling"))

    assert rows[0][1:5] == [
        str(bappeda_kabupaten),
        "Ceiling | changed",
        f"Kecamatan Kalirejo RKPD {year.year} | Kecamatan Kalirejo",
        "Indicative ceiling (Rp): Rp1.500.000.000 → Rp600.000.000",
    ]


# Who reads which log


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_reads_its_own_regions_log_or_none(db, request, persona):
    assert access.log_code_of(request.getfixturevalue(persona)) == READS.get(persona)


def test_a_deactivated_bappeda_reads_no_log(bappeda_kabupaten):
    bappeda_kabupaten.is_active = False
    assert access.log_code_of(bappeda_kabupaten) is None


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in READS])
def test_for_everyone_else_the_log_does_not_exist(client, request, persona, year):
    client.force_login(request.getfixturevalue(persona))

    assert client.get("/jejak/").status_code == 404
    assert client.get("/jejak/?_export=csv").status_code == 404
    page = client.get("/usulan/")
    assert page.status_code == 200 and 'href="/jejak/"' not in page.content.decode()


@pytest.mark.parametrize("persona", list(READS))
def test_bappeda_and_the_administrator_find_the_log_in_the_menu(english, request, persona, year):
    log_in(english, request.getfixturevalue(persona))

    page = english.get("/usulan/").content.decode()

    assert '<a href="/jejak/">Audit log</a>' in page
    assert "<h1>Audit log</h1>" in english.get("/jejak/").content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/jejak/")
    assert (response.status_code, response["Location"]) == (302, "/masuk/?next=/jejak/")


def test_the_log_takes_no_post(client, bappeda_kabupaten):
    log_in(client, bappeda_kabupaten)
    assert client.post("/jejak/").status_code == 405


def test_each_bappeda_reads_its_own_regions_entries_and_the_administrator_all(english, ladder, year, request):
    people = {persona: request.getfixturevalue(persona) for persona in READS}
    bengkulu_selatan = UserFactory(username="bappeda.bs", role=Role.BAPPEDA_KABUPATEN, region=ladder["17.01"])
    forget_the_past()
    ceiling(people["bappeda_kabupaten"], year, ladder["18.02.01"], 900_000_000)
    ceiling(people["other_bappeda_kabupaten"], year, ladder["18.01.01"], 800_000_000)
    ceiling(bengkulu_selatan, year, ladder["17.01.01"], 700_000_000)
    province = people["bappeda_provinsi"]
    with set_actor(province):
        forums_workflow.set_criteria(actor=province, planning_year=year, criteria=[("Kemendesakan", 100)])
    national = str(open_intake(None, level=Level.KECAMATAN))
    y = year.year
    kalirejo, natar = (
        ("Ceiling | created", f"Kecamatan Kalirejo RKPD {y}"),
        ("Ceiling | created", f"Kecamatan Natar RKPD {y}"),
    )
    kedurang = ("Ceiling | created", f"Kecamatan Kedurang RKPD {y}")
    criterion = ("Ranking criterion | created", "Kemendesakan (100 %)")

    expected = {
        "bappeda_kabupaten": [kalirejo],
        "other_bappeda_kabupaten": [natar],
        "bappeda_provinsi": [criterion, natar, kalirejo],
        "other_bappeda_provinsi": [kedurang],
        "admin_user": [("Stage window | created", national), criterion, kedurang, natar, kalirejo],
    }
    for persona, rows in expected.items():
        log_in(english, people[persona])
        assert kinds_and_objects(english.get("/jejak/")) == rows, persona


def test_an_officer_moved_to_another_kabupaten_is_in_both_kabupatens_logs(
    english, ladder, bappeda_kabupaten, other_bappeda_kabupaten, bappeda_provinsi
):
    officer = UserFactory(username="kec.natar", role=Role.KECAMATAN_OPERATOR, region=ladder["18.01.01"])
    forget_the_past()
    with set_actor(bappeda_provinsi):
        officer.region = ladder["18.02.01"]
        officer.save()

    for reader in (bappeda_kabupaten, other_bappeda_kabupaten, bappeda_provinsi):
        log_in(english, reader)
        assert [row[1:5] for row in rows_of(english.get("/jejak/"))] == [
            [
                str(bappeda_provinsi),
                "Account | changed",
                f"{officer} | Kecamatan Kalirejo",
                "Region: Kecamatan Natar (18.01.01) → Kecamatan Kalirejo (18.02.01)",
            ]
        ], reader.username


# Accounts and logins


def test_an_account_created_deactivated_and_given_a_password_is_logged_without_the_password(
    english, ladder, bappeda_kabupaten
):
    forget_the_past()
    with set_actor(bappeda_kabupaten):
        officer = User.objects.create_user(
            username="desa.purwodadi",
            password="Rahasia-Awal-123",
            first_name="Ayu",
            last_name="Lestari",
            role=Role.VILLAGE_OPERATOR,
            region=ladder["18.02.02.2001"],
        )
        officer.is_active = False
        officer.save(update_fields=["is_active"])
        officer.set_password("Rahasia-Baru-456")
        officer.save(update_fields=["password"])
    log_in(english, bappeda_kabupaten)

    rows = rows_of(english.get("/jejak/?kind=account"))

    assert [row[2:5] for row in rows] == [
        ["Account | changed", "Ayu Lestari | Desa Purwodadi", "Password: ••• → •••"],
        ["Account | changed", "Ayu Lestari | Desa Purwodadi", "Active: yes → no"],
        [
            "Account | created",
            "Ayu Lestari | Desa Purwodadi",
            "Password: ••• → ••• | Superuser status: — → no | Username: — → desa.purwodadi | First name: — → Ayu | "
            "Last name: — → Lestari | Staff status: — → no | Active: — → yes | Role: — → Village operator | "
            "Region: — → Desa Purwodadi (18.02.02.2001)",
        ],
    ]
    stored = repr(list(LogEntry.objects.values_list("changes", "serialized_data", "additional_data", "object_repr")))
    assert "Rahasia" not in stored and officer.password.rsplit("$", 1)[-1] not in stored


def test_a_login_names_the_officer_and_the_address(client, village_operator, bappeda_kabupaten):
    forget_the_past()

    response = client.post(
        "/masuk/", {"username": "desa.kalirejo", "password": "rahasia-uji-123"}, REMOTE_ADDR="203.0.113.7"
    )

    assert response.status_code == 302
    entry = LogEntry.objects.get()
    assert (entry.actor, entry.object_repr, entry.remote_addr, entry.action) == (
        village_operator,
        str(village_operator),
        "203.0.113.7",
        LogEntry.Action.ACCESS,
    )
    assert sorted(entry.regions.values_list("region_code", "kind")) == [
        ("", "login"),
        ("18", "login"),
        ("18.02", "login"),
    ]
    log_in(client, bappeda_kabupaten)
    assert [row[1:] for row in rows_of(client.get("/jejak/"))] == [
        [str(village_operator), "Masuk", f"{village_operator} | Desa Kalirejo", "—", "", "203.0.113.7"]
    ]


def test_a_failed_login_keeps_the_username_tried_and_the_address_and_never_the_password(
    english, village_operator, bappeda_kabupaten, admin_user
):
    forget_the_past()

    for username, address in (("desa.kalirejo", "203.0.113.7"), ("tidak.ada", "198.51.100.4")):
        response = english.post("/masuk/", {"username": username, "password": "tebakan-salah-99"}, REMOTE_ADDR=address)
        assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated

    entries = LogEntry.objects.order_by("id")
    assert [(e.object_repr, e.actor, e.remote_addr, e.additional_data) for e in entries] == [
        (str(village_operator), None, "203.0.113.7", {"username": "desa.kalirejo"}),
        ("tidak.ada", None, "198.51.100.4", {"username": "tidak.ada"}),
    ]
    assert [sorted(e.regions.values_list("region_code", flat=True)) for e in entries] == [["", "18", "18.02"], [""]]
    assert "tebakan" not in repr(list(LogEntry.objects.values()))
    log_in(english, bappeda_kabupaten)
    assert [row[1:] for row in rows_of(english.get("/jejak/?kind=login_failed"))] == [
        ["—", "Failed login", f"{village_operator} | Desa Kalirejo", "Username tried: desa.kalirejo", "", "203.0.113.7"]
    ]
    log_in(english, admin_user)
    assert [row[3:5] for row in rows_of(english.get("/jejak/?kind=login_failed"))] == [
        ["tidak.ada", "Username tried: tidak.ada"],
        [f"{village_operator} | Desa Kalirejo", "Username tried: desa.kalirejo"],
    ]


def test_the_address_is_the_one_our_own_proxy_saw_never_one_the_client_wrote(rf, settings, client, village_operator):
    forged = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9", "REMOTE_ADDR": "127.0.0.1"}
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_ip(rf.get("/", **forged)) == "127.0.0.1"
    assert client_ip(rf.get("/", HTTP_X_FORWARDED_FOR="nonsense")) == "127.0.0.1"

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # BEHIND_PROXY=1
    assert client_ip(rf.get("/", **forged)) == "203.0.113.9"
    forget_the_past()
    client.post("/masuk/", {"username": "desa.kalirejo", "password": "salah"}, **forged)
    assert LogEntry.objects.get().remote_addr == "203.0.113.9"


# The planning and forum workflows


def entries_of(kind: str) -> list[tuple[int, str]]:
    """(action, object) of the nation's entries of a kind, oldest first."""
    rows = EntryRegion.objects.filter(region_code="", kind=kind).order_by("at", "entry_id")
    return [(row.entry.action, row.entry.object_repr) for row in rows.select_related("entry")]


CREATE, UPDATE, DELETE = LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE


def test_replacing_the_criteria_logs_each_criterion_removed_and_each_added(english, bappeda_kabupaten, year):
    with set_actor(bappeda_kabupaten):
        forums_workflow.set_criteria(
            actor=bappeda_kabupaten, planning_year=year, criteria=[("Kemendesakan", 60), ("Manfaat", 40)]
        )
        forget_the_past()
        forums_workflow.set_criteria(
            actor=bappeda_kabupaten, planning_year=year, criteria=[("Kemendesakan", 50), ("Manfaat", 50)]
        )

    assert sorted(entries_of("criterion")) == [
        (CREATE, "Kemendesakan (50 %)"),
        (CREATE, "Manfaat (50 %)"),
        (DELETE, "Kemendesakan (60 %)"),
        (DELETE, "Manfaat (40 %)"),
    ]
    assert set(LogEntry.objects.values_list("actor", flat=True)) == {bappeda_kabupaten.pk}
    log_in(english, bappeda_kabupaten)
    rows = rows_of(english.get("/jejak/?kind=criterion"))
    assert sorted(row[4] for row in rows if row[2] == "Ranking criterion | removed") == [
        f"Planning year: RKPD {year.year} → — | Region: Kabupaten Lampung Tengah (18.02) → — | "
        "Criterion: Kemendesakan → — | Weight (%): 60 → — | Scored: Scored by the forum → — | Position: 0 → —",
        f"Planning year: RKPD {year.year} → — | Region: Kabupaten Lampung Tengah (18.02) → — | "
        "Criterion: Manfaat → — | Weight (%): 40 → — | Scored: Scored by the forum → — | Position: 1 → —",
    ]


def test_a_stage_window_set_moved_and_removed_is_logged_with_its_dates(english, bappeda_kabupaten, year):
    today = timezone.localdate()
    opens, closes = today + datetime.timedelta(days=31), today + datetime.timedelta(days=45)
    forget_the_past()
    with set_actor(bappeda_kabupaten):
        for windows in (
            {Level.KECAMATAN: (opens, closes)},
            {Level.KECAMATAN: (opens, closes + datetime.timedelta(days=7))},
            {Level.KECAMATAN: None},
        ):
            planning_workflow.set_schedule(actor=bappeda_kabupaten, year=year.year, windows=windows)
    log_in(english, bappeda_kabupaten)

    rows = rows_of(english.get("/jejak/?kind=window"))

    day = "%d/%m/%Y"
    later = (closes + datetime.timedelta(days=7)).strftime(day)
    assert [(row[2], row[4]) for row in rows] == [
        (
            "Stage window | removed",
            f"Planning year: RKPD {year.year} → — | Stage: District → — | Set for region: Kabupaten Lampung Tengah "
            f"(18.02) → — | Opens on: {opens.strftime(day)} → — | Closes on: {later} → —",
        ),
        ("Stage window | changed", f"Closes on: {closes.strftime(day)} → {later}"),
        (
            "Stage window | created",
            f"Planning year: — → RKPD {year.year} | Stage: — → District | Set for region: — → Kabupaten Lampung "
            f"Tengah (18.02) | Opens on: — → {opens.strftime(day)} | Closes on: — → {closes.strftime(day)}",
        ),
    ]


def test_a_regional_priority_added_renamed_and_removed_is_logged(english, bappeda_kabupaten, year):
    forget_the_past()
    with set_actor(bappeda_kabupaten):
        priority = planning_workflow.add_priority(actor=bappeda_kabupaten, planning_year=year, name="Infrastruktur")
        planning_workflow.update_priority(
            actor=bappeda_kabupaten, priority=priority, name="Infrastruktur dasar", target="Jalan mantap 80 %"
        )
        planning_workflow.remove_priority(actor=bappeda_kabupaten, priority=priority)
    log_in(english, bappeda_kabupaten)

    rows = rows_of(english.get("/jejak/?kind=priority"))

    assert [(row[2], row[3]) for row in rows] == [
        ("Regional priority | removed", "Infrastruktur dasar | Kabupaten Lampung Tengah"),
        ("Regional priority | changed", "Infrastruktur dasar | Kabupaten Lampung Tengah"),
        ("Regional priority | created", "Infrastruktur | Kabupaten Lampung Tengah"),
    ]
    assert rows[1][4] == (
        "Regional priority: Infrastruktur → Infrastruktur dasar | Regional target: — → Jalan mantap 80 %"
    )


@pytest.fixture
def forum(year, ladder):
    return forum_for(year, Level.KECAMATAN, ladder["18.02.01"])


def test_forum_details_attendance_and_delegates_are_logged_with_the_forum_and_the_reason(
    english, forum, kecamatan_operator, bappeda_kabupaten, other_bappeda_kabupaten
):
    forget_the_past()
    with set_actor(kecamatan_operator):
        forums_workflow.update_forum(actor=kecamatan_operator, forum=forum, place="Balai Kecamatan Kalirejo")
        attendee = forums_workflow.add_attendee(
            actor=kecamatan_operator, forum=forum, name="Sutrisno", institution="Kepala Desa", gender=Gender.MALE
        )
        forums_workflow.remove_attendee(actor=kecamatan_operator, attendee=attendee)
        forums_workflow.add_delegate(actor=kecamatan_operator, forum=forum, name="Wulandari", gender=Gender.FEMALE)
        forums_workflow.update_forum(
            actor=kecamatan_operator, forum=forum, override_reason="Disepakati seluruh peserta musyawarah."
        )
    log_in(english, bappeda_kabupaten)

    rows = rows_of(english.get("/jejak/"))

    name = str(Forum.objects.get(pk=forum.pk))
    who = str(kecamatan_operator)
    assert [row[1:6] for row in rows] == [
        [
            who,
            "Forum details | changed",
            f"{name} | Kecamatan Kalirejo",
            "Reason for exceeding the ceiling: — → Disepakati seluruh peserta musyawarah.",
            "Disepakati seluruh peserta musyawarah.",
        ],
        [
            who,
            "Delegate | created",
            f"Wulandari | {name}",
            f"Forum: — → {name} | Name: — → Wulandari | Gender: — → Female",
            "",
        ],
        [
            who,
            "Attendance | removed",
            f"Sutrisno | {name}",
            f"Forum: {name} → — | Name: Sutrisno → — | Element represented: Other → — | "
            "Institution: Kepala Desa → — | Gender: Male → — | Signs the minutes: no → —",
            "",
        ],
        [
            who,
            "Attendance | created",
            f"Sutrisno | {name}",
            f"Forum: — → {name} | Name: — → Sutrisno | Element represented: — → Other | "
            "Institution: — → Kepala Desa | Gender: — → Male | Signs the minutes: — → no",
            "",
        ],
        [who, "Forum details | changed", f"{name} | Kecamatan Kalirejo", "Place: — → Balai Kecamatan Kalirejo", ""],
    ]
    log_in(english, other_bappeda_kabupaten)
    assert rows_of(english.get("/jejak/")) == [["No entries match these filters."]]


# Filters, pages, downloads


def backdate(entry_ids, moment):
    """Move entries to another moment (the clock is the outside world)."""
    LogEntry.objects.filter(pk__in=entry_ids).update(timestamp=moment)
    EntryRegion.objects.filter(entry__in=entry_ids).update(at=moment)


@pytest.fixture
def season(ladder, year, bappeda_kabupaten, kecamatan_operator):
    """A January ceiling by Bappeda, a February forum change by the kecamatan, and a March login."""
    bappeda_kabupaten.first_name, bappeda_kabupaten.last_name = "Siti", "Rahayu"
    bappeda_kabupaten.save()
    forum = forum_for(year, Level.KECAMATAN, ladder["18.02.01"])
    forget_the_past()
    ceiling(bappeda_kabupaten, year, ladder["18.02.01"], 900_000_000)
    backdate(LogEntry.objects.values_list("pk", flat=True), timezone.make_aware(datetime.datetime(2026, 1, 20, 9)))
    with set_actor(kecamatan_operator):
        forums_workflow.update_forum(actor=kecamatan_operator, forum=forum, place="Balai Kecamatan")
    feb = LogEntry.objects.filter(content_type__model="forum").values_list("pk", flat=True)
    backdate(feb, timezone.make_aware(datetime.datetime(2026, 2, 5, 23, 30)))
    logged_in(sender=User, request=None, user=kecamatan_operator)
    logins = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).values_list("pk", flat=True)
    backdate(logins, timezone.make_aware(datetime.datetime(2026, 3, 1, 0, 0)))
    return forum


@pytest.mark.parametrize(
    "query, kinds",
    [
        ("", ["Login", "Forum details | changed", "Ceiling | created"]),
        ("kind=ceiling", ["Ceiling | created"]),
        ("kind=login", ["Login"]),
        ("actor=bappeda.lamteng", ["Ceiling | created"]),
        ("actor=BAPPEDA.LAMTENG", ["Ceiling | created"]),
        ("actor=siti+rahayu", ["Ceiling | created"]),
        ("actor=rahayu+budi", []),
        ("actor=kec.kalirejo&kind=forum", ["Forum details | changed"]),
        ("since=2026-02-05", ["Login", "Forum details | changed"]),
        ("until=2026-02-05", ["Forum details | changed", "Ceiling | created"]),
        ("since=2026-02-06&until=2026-02-28", []),
        ("since=2026-01-20&until=2026-01-20", ["Ceiling | created"]),
        ("since=2026-03-01&until=2026-03-01", ["Login"]),
    ],
)
def test_the_log_filters_by_kind_actor_and_dates(english, season, bappeda_kabupaten, query, kinds):
    log_in(english, bappeda_kabupaten)

    rows = rows_of(english.get(f"/jejak/?{query}"))

    assert [row[2] for row in rows if len(row) > 1] == kinds


@pytest.mark.parametrize(
    "query, error",
    [
        ("since=2026-03-01&until=2026-02-01", "The end of the range comes before its start."),
        ("since=0001-01-01", "Give a date between 2000 and 2100."),
        ("until=9999-12-31", "Give a date between 2000 and 2100."),
        ("since=kemarin", "Enter a valid date."),
        ("kind=proposal", "Select a valid choice. proposal is not one of the available choices."),
    ],
)
def test_a_filter_that_makes_no_sense_says_why_and_lists_nothing(english, season, bappeda_kabupaten, query, error):
    log_in(english, bappeda_kabupaten)

    response = english.get(f"/jejak/?{query}")

    assert error in response.content.decode()
    assert rows_of(response) == [["No entries match these filters."]]
    assert english.get(f"/jejak/?{query}&_export=csv").content.decode().splitlines()[1:] == []


def make_entries(bappeda, year, kecamatans, count):
    """`count` ceiling changes, half new rows (with foreign keys to name), half changed amounts."""
    with set_actor(bappeda):
        for n in range(count):
            forums_workflow.set_ceiling(
                actor=bappeda, planning_year=year, kecamatan=kecamatans[n % 2], amount=100_000_000 + n
            )


def test_the_page_reads_in_the_same_number_of_queries_for_few_and_many_entries(
    english, ladder, year, bappeda_kabupaten, django_assert_num_queries
):
    kecamatans = [ladder["18.02.01"], ladder["18.02.02"]]
    forget_the_past()
    log_in(english, bappeda_kabupaten)
    make_entries(bappeda_kabupaten, year, kecamatans, 4)
    with CaptureQueriesContext(connection) as few:
        assert len(rows_of(english.get("/jejak/"))) == 4
    make_entries(bappeda_kabupaten, year, kecamatans, 40)

    with django_assert_num_queries(len(few.captured_queries)):
        assert len(rows_of(english.get("/jejak/"))) == 44


def test_a_province_pages_forward_without_counting_and_a_kabupaten_counts(
    english, ladder, year, bappeda_kabupaten, bappeda_provinsi
):
    forget_the_past()
    make_entries(bappeda_kabupaten, year, [ladder["18.02.01"], ladder["18.02.02"]], 55)

    log_in(english, bappeda_kabupaten)
    first, second = english.get("/jejak/"), english.get("/jejak/?page=2")
    assert (len(rows_of(first)), len(rows_of(second))) == (50, 5)
    assert "55 entries" in first.content.decode()
    assert rows_of(second)[-1][4] == (
        f"Planning year: — → RKPD {year.year} | District: — → Kecamatan Kalirejo (18.02.01) | "
        "Indicative ceiling (Rp): — → Rp100.000.000"
    )

    log_in(english, bappeda_provinsi)
    first = english.get("/jejak/")
    assert len(rows_of(first)) == 50 and "entries" not in first.content.decode().split("<table")[0]
    assert 'rel="next"' in first.content.decode()
    past = english.get("/jejak/?page=9")
    assert (past.status_code, past["Location"]) == (302, "/jejak/")


def test_the_csv_and_xlsx_hold_the_filtered_rows_with_plain_values(english, season, bappeda_kabupaten):
    log_in(english, bappeda_kabupaten)

    response = english.get("/jejak/?kind=ceiling&_export=csv")

    assert response["Content-Disposition"] == 'attachment; filename="jejak-audit.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    year = timezone.localdate().year + 1
    assert rows == [
        ["When", "Who", "What", "Object", "Before → after", "Why", "Address", "Username", "Action", "Place"],
        [
            "2026-01-20T09:00:00+07:00",
            "Siti Rahayu",
            "Ceiling",
            f"Kecamatan Kalirejo RKPD {year}",
            f"Planning year: — → RKPD {year}; District: — → Kecamatan Kalirejo (18.02.01); "
            "Indicative ceiling (Rp): — → Rp900.000.000",
            "",
            "",
            "bappeda.lamteng",
            "created",
            "Kecamatan Kalirejo",
        ],
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(english.get("/jejak/?_export=xlsx").content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Login", "Forum details", "Ceiling"]


def test_a_big_download_goes_to_the_worker(english, season, bappeda_kabupaten, settings, tmp_path):
    settings.EXPORT_INLINE_ROWS = 2
    settings.MEDIA_ROOT = tmp_path
    log_in(english, bappeda_kabupaten)

    response = english.get("/jejak/?_export=csv&page=2")

    download = Download.objects.get()
    assert (response.status_code, response["Location"]) == (302, reverse("downloads:detail", args=[download.pk]))
    assert (download.user, download.state, download.label) == (bappeda_kabupaten, State.DONE, "Audit log, CSV, 3 rows")
    rows = list(csv.reader(io.StringIO(download.file.read().decode())))
    assert [row[2] for row in rows[1:]] == ["Login", "Forum details", "Ceiling"]


# The index


def page_plan(client, user, url: str) -> list[dict]:
    """The plan of the query that fetched the page's rows, with sorting priced out: if no index
    gave the order, the plan would still sort and the test would see it."""
    log_in(client, user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    [sql] = [
        q["sql"] for q in captured.captured_queries if 'FROM "audit_entryregion"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, stack = [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.get("Plans", []))
    return nodes


@pytest.mark.parametrize(
    ("persona", "query", "index"),
    [
        ("bappeda_kabupaten", "", "audit_region_newest"),
        ("bappeda_provinsi", "", "audit_region_newest"),
        ("admin_user", "", "audit_region_newest"),
        # On a few rows the planner may read the region's index and filter the kind, as the
        # statistics left by earlier tests lead it: either way, no sort.
        ("bappeda_kabupaten", "?kind=ceiling", "audit_region_kind_newest|audit_region_newest"),
        ("bappeda_kabupaten", "?since=2026-01-01&until=2026-12-31", "audit_region_newest"),
    ],
)
def test_a_log_page_reads_its_region_newest_first_from_an_index_without_sorting(
    client, ladder, year, request, persona, query, index
):
    bappeda = request.getfixturevalue("bappeda_kabupaten")
    make_entries(bappeda, year, [ladder["18.02.01"], ladder["18.02.02"]], 6)
    nodes = page_plan(client, request.getfixturevalue(persona), f"/jejak/{query}")

    assert [n["Node Type"] for n in nodes if "Sort" in n["Node Type"]] == []
    scans = {
        n.get("Index Name"): n.get("Index Cond", "") for n in nodes if n.get("Relation Name") == "audit_entryregion"
    }
    [used] = scans
    assert used in index.split("|") and "region_code" in scans[used]


def test_a_long_text_is_cut_on_the_page_and_whole_in_the_download(
    english, forum, kecamatan_operator, bappeda_kabupaten
):
    considerations = "Paparan rancangan awal Rencana Kerja Pemerintah Daerah. " * 10
    forget_the_past()
    with set_actor(kecamatan_operator):
        forums_workflow.update_forum(actor=kecamatan_operator, forum=forum, considerations=considerations)
    log_in(english, bappeda_kabupaten)

    [row] = rows_of(english.get("/jejak/"))
    download = list(csv.reader(io.StringIO(english.get("/jejak/?_export=csv").content.decode())))

    before = forum.considerations  # the level's default wording
    assert len(before) > 200
    assert row[4] == " ".join(f"Considerations: {before[:199]}… → {considerations[:199]}…".split())
    assert download[1][4] == f"Considerations: {before} → {considerations}"


def test_a_monitoring_teams_creation_and_change_are_logged(english, bappeda_kabupaten, ladder, year):
    from forums.workflow import season

    with set_actor(bappeda_kabupaten):
        team = season.save_team(actor=bappeda_kabupaten, planning_year=year, name="Tim 1", leader="Hartono")
        season.save_team(actor=bappeda_kabupaten, team=team, name="Tim 1", leader="Sri Wahyuni")
    log_in(english, bappeda_kabupaten)

    rows = rows_of(english.get("/jejak/?kind=team"))

    assert [row[2] for row in rows] == ["Monitoring team | changed", "Monitoring team | created"]
    assert "Hartono → Sri Wahyuni" in rows[0][4]


def test_old_entries_are_pruned_logins_after_a_year_changes_after_ten(client, bappeda_kabupaten, ladder, year):
    from django.core.management import call_command

    ceiling(bappeda_kabupaten, year, ladder["18.02.01"], 1_500_000_000)  # a change
    client.post("/masuk/", {"username": bappeda_kabupaten.username, "password": "salah"})  # a failed login
    failed = LogEntry.objects.get(regions__kind="login_failed", regions__region_code="")
    changes = set(LogEntry.objects.exclude(pk=failed.pk).values_list("pk", flat=True))
    assert changes

    def age(days, **which):
        LogEntry.objects.filter(**which).update(timestamp=timezone.now() - datetime.timedelta(days=days))

    age(400)  # every entry a year and more old
    out = io.StringIO()
    call_command("prune_audit", stdout=out)
    assert set(LogEntry.objects.values_list("pk", flat=True)) == changes  # the login went, the changes stay
    assert not EntryRegion.objects.filter(entry_id=failed.pk).exists()
    assert "1 login entries and 0 other entries deleted." in out.getvalue()

    age(3700)  # ten years and more
    call_command("prune_audit", stdout=out)
    assert not LogEntry.objects.exists() and not EntryRegion.objects.exists()
