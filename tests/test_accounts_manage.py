"""Bappeda manages its officers' accounts under /akun/ (accounts/access.py, forms.py, views.py).

The personas of conftest, one per role, are the accounts. MANAGED says which of them each persona
may list, open, change, deactivate and issue links for: nothing else (a 404, exactly like an
account that does not exist), nothing less. A persona who manages nobody gets a 403 from the
pages that list, create or import accounts. Every refused request checks that nothing changed.
Page text is read in English unless a test is about the Indonesian message itself.
"""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts import access
from accounts.models import Role, User

from .factories import AgencyFactory, UserFactory

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
LAMPUNG_TENGAH = {
    "village_operator",
    "neighbour_village_operator",
    "kecamatan_operator",
    "other_kecamatan_operator",
    "agency_officer",
    "other_agency_officer",
    "bappeda_kabupaten",
}
MANAGED = {
    "village_operator": set(),
    "neighbour_village_operator": set(),
    "kecamatan_operator": set(),
    "other_kecamatan_operator": set(),
    "agency_officer": set(),
    "other_agency_officer": set(),
    # Its kabupaten's operators and agency officers, and its own staff (itself among them).
    "bappeda_kabupaten": LAMPUNG_TENGAH,
    "other_bappeda_kabupaten": {"other_bappeda_kabupaten"},
    # The province's kabupaten, their Bappeda included, and its own staff; never another province.
    "bappeda_provinsi": LAMPUNG_TENGAH | {"other_bappeda_kabupaten", "bappeda_provinsi"},
    "other_bappeda_provinsi": {"other_bappeda_provinsi"},
    "admin_user": set(PERSONAS),
}
# What a Bappeda kabupaten grants below its own role, in the order the form offers them.
KABUPATEN_ROLES = ["village_operator", "kecamatan_operator", "agency_officer", "dprd_member", "dprd_secretariat"]
MANAGERS = [persona for persona in PERSONAS if MANAGED[persona]]
NON_MANAGERS = [persona for persona in PERSONAS if not MANAGED[persona]]
OUTSIDE = [(manager, persona) for manager in PERSONAS for persona in PERSONAS if persona not in MANAGED[manager]]
INSIDE = [(manager, persona) for manager in PERSONAS for persona in sorted(MANAGED[manager])]


@pytest.fixture
def everyone(request, ladder) -> dict[str, User]:
    return {persona: request.getfixturevalue(persona) for persona in PERSONAS}


@pytest.fixture
def as_persona(client, everyone):
    """Log in as the named persona, with pages in English; returns the user."""

    def log_in(persona, language="en"):
        client.force_login(everyone[persona])
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return everyone[persona]

    return log_in


def snapshot() -> list[tuple]:
    return list(
        User.objects.order_by("pk").values_list(
            "pk", "username", "first_name", "role", "region_id", "agency_id", "is_active", "password", "phone"
        )
    )


def listed_usernames(response) -> list[str]:
    return [html.unescape(name) for name in re.findall(r'<td class="code">([^<]+)</td>', response.content.decode())]


def field_errors(response, field: str) -> list[str]:
    """The messages shown under one field of the account form."""
    page = response.content.decode()
    block = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    return [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>", block.group(1))] if block else []


def form_data(**overrides) -> dict[str, str]:
    data = {
        "name": "Siti Aminah",
        "username": "desa.srilangsep2",
        "role": Role.VILLAGE_OPERATOR,
        "region": "18.02.01.2001",
        "agency": "",
        "phone": "0812-1111-2222",
        "email": "siti@example.org",
    }
    data.update(overrides)
    return data


# --- who manages whom ---------------------------------------------------------------------------


def test_every_persona_is_in_the_scope_table():
    assert set(MANAGED) == set(PERSONAS)
    assert all(managed <= set(PERSONAS) for managed in MANAGED.values())


@pytest.mark.parametrize("persona", PERSONAS)
def test_managed_accounts_are_exactly_the_personas_scope(persona, everyone):
    expected = {everyone[name].username for name in MANAGED[persona]}
    assert set(access.managed_accounts(everyone[persona]).values_list("username", flat=True)) == expected


@pytest.mark.parametrize(
    "persona, roles",
    [
        ("village_operator", []),
        ("kecamatan_operator", []),
        ("agency_officer", []),
        (
            "bappeda_kabupaten",
            [*KABUPATEN_ROLES, "bappeda_kabupaten"],
        ),
        (
            "bappeda_provinsi",
            [*KABUPATEN_ROLES, "bappeda_kabupaten", "bappeda_provinsi"],
        ),
        ("admin_user", [role.value for role in Role]),
    ],
)
def test_a_manager_grants_only_the_roles_at_or_below_their_own(persona, roles, everyone):
    assert [role.value for role in access.grantable_roles(everyone[persona])] == roles


def test_an_admin_account_or_a_superuser_inside_a_bappedas_region_is_not_theirs_to_manage(everyone, ladder):
    # A link to set such an account's password would hand its powers to the Bappeda.
    staff = UserFactory(
        username="staf.admin", role=Role.VILLAGE_OPERATOR, region=ladder["18.02.01.2003"], is_staff=True
    )
    root = UserFactory(
        username="root.desa", role=Role.VILLAGE_OPERATOR, region=ladder["18.02.01.2001"], is_superuser=True
    )
    admin_in_region = UserFactory(username="admin.lamteng", role=Role.ADMIN, region=ladder["18.02"], is_staff=True)
    managed = set(access.managed_accounts(everyone["bappeda_kabupaten"]))
    assert {staff, root, admin_in_region} & managed == set()
    assert {staff, root, admin_in_region} <= set(access.managed_accounts(everyone["admin_user"]))


def test_a_deactivated_bappeda_manages_nobody(everyone):
    bappeda = everyone["bappeda_kabupaten"]
    User.objects.filter(pk=bappeda.pk).update(is_active=False)
    bappeda.refresh_from_db()
    assert not access.may_manage_accounts(bappeda)
    assert list(access.managed_accounts(bappeda)) == []


# --- the list -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", MANAGERS)
def test_the_list_shows_exactly_the_accounts_in_the_managers_scope(persona, as_persona, client, everyone):
    as_persona(persona)
    response = client.get("/akun/")
    assert response.status_code == 200
    assert sorted(listed_usernames(response)) == sorted(everyone[name].username for name in MANAGED[persona])


@pytest.mark.parametrize("persona", NON_MANAGERS)
@pytest.mark.parametrize(
    "url", ["/akun/", "/akun/baru/", "/akun/impor/", "/akun/impor/templat.xlsx", "/akun/lembar-sandi/"]
)
def test_who_manages_nobody_is_refused_the_managers_pages(persona, url, as_persona, client):
    as_persona(persona)
    before = snapshot()
    assert client.get(url).status_code == 403
    if url in ("/akun/baru/", "/akun/impor/"):
        assert client.post(url, form_data()).status_code == 403
    assert snapshot() == before


def test_an_anonymous_visitor_is_sent_to_log_in(client, ladder):
    response = client.get("/akun/")
    assert response.status_code == 302
    assert response["Location"] == "/masuk/?next=/akun/"


def test_the_nav_offers_accounts_to_managers_only(as_persona, client):
    as_persona("bappeda_kabupaten")
    assert 'href="/akun/">Accounts</a>' in client.get("/akun/sandi/").content.decode()
    as_persona("village_operator")
    page = client.get("/akun/sandi/").content.decode()
    assert 'href="/akun/">' not in page
    assert 'class="who" href="/akun/sandi/"' in page


def test_the_nav_kept_for_a_role_speaks_each_readers_language(as_persona, client):
    """The header's links are kept rendered per role and language (templates/base.html): the same
    role read in the other language gets its own."""
    as_persona("bappeda_kabupaten", language="id")
    indonesian = client.get("/akun/sandi/").content.decode()
    as_persona("bappeda_kabupaten", language="en")
    english = client.get("/akun/sandi/").content.decode()

    assert 'href="/akun/">Akun</a>' in indonesian and 'href="/akun/">Accounts</a>' in english


def test_the_list_filters_by_role(as_persona, client):
    as_persona("bappeda_kabupaten")
    response = client.get("/akun/", {"role": Role.KECAMATAN_OPERATOR})
    assert sorted(listed_usernames(response)) == ["kec.bangunrejo", "kec.kalirejo"]


def test_the_list_drills_down_by_region(as_persona, client):
    as_persona("bappeda_provinsi")
    response = client.get("/akun/", {"wilayah": "18.02.01"})
    assert sorted(listed_usernames(response)) == ["desa.kalirejo", "desa.srilangsep", "kec.kalirejo"]
    page = response.content.decode()
    # The way back up (the kabupaten) and the kecamatan's villages are offered; not the neighbour kabupaten's.
    assert '<option value="18.02">' in page
    assert '<option value="18.02.01.2003">' in page
    assert '<option value="18.01">' not in page


def test_a_region_outside_the_managers_area_filters_nothing_in_and_says_so(as_persona, client):
    as_persona("bappeda_kabupaten")
    response = client.get("/akun/", {"wilayah": "18.01"})
    assert sorted(listed_usernames(response)) == sorted(
        [
            "bappeda.lamteng",
            "desa.kalirejo",
            "desa.srilangsep",
            "kec.bangunrejo",
            "kec.kalirejo",
            "opd.dinkes",
            "opd.pupr",
        ]
    )
    assert "Select a valid choice" in response.content.decode()


def test_the_list_filters_by_status_and_searches_names_and_usernames(as_persona, client, everyone):
    everyone["kecamatan_operator"].is_active = False
    everyone["kecamatan_operator"].save()
    # Fixed names: the factories' random ones might hold the words searched for.
    User.objects.update(first_name="Ani", last_name="Lestari")
    User.objects.filter(username="desa.kalirejo").update(first_name="Sutrisno", last_name="Wibowo")
    as_persona("bappeda_kabupaten")
    assert listed_usernames(client.get("/akun/", {"status": "nonaktif"})) == ["kec.kalirejo"]
    assert "kec.kalirejo" not in listed_usernames(client.get("/akun/", {"status": "aktif"}))
    assert listed_usernames(client.get("/akun/", {"q": "trisno"})) == ["desa.kalirejo"]
    assert listed_usernames(client.get("/akun/", {"q": "WIBOWO sut"})) == ["desa.kalirejo"]
    assert sorted(listed_usernames(client.get("/akun/", {"q": "opd."}))) == ["opd.dinkes", "opd.pupr"]


def test_the_list_sorts_by_username_or_by_region(as_persona, client):
    as_persona("bappeda_kabupaten")
    by_username = listed_usernames(client.get("/akun/", {"urut": "pengguna"}))
    assert by_username == sorted(by_username)
    by_region = listed_usernames(client.get("/akun/"))
    # 18.02 (Bappeda and both agencies' officers), 18.02.01, its villages 2001 and 2003, then 18.02.02.
    assert by_region == [
        "bappeda.lamteng",
        "opd.dinkes",
        "opd.pupr",
        "kec.kalirejo",
        "desa.srilangsep",
        "desa.kalirejo",
        "kec.bangunrejo",
    ]


def test_the_list_pages_by_fifty(as_persona, client, ladder):
    for n in range(55):
        UserFactory(username=f"desa.uji{n:02d}", role=Role.VILLAGE_OPERATOR, region=ladder["18.02.02.2001"])
    as_persona("bappeda_kabupaten")
    first = client.get("/akun/", {"urut": "pengguna"})
    second = client.get("/akun/", {"urut": "pengguna", "page": 2})
    assert len(listed_usernames(first)) == 50
    assert len(listed_usernames(second)) == 55 + 7 - 50
    assert "Page 2 of 2" in second.content.decode()
    assert set(listed_usernames(first)).isdisjoint(listed_usernames(second))
    assert client.get("/akun/", {"page": "99999999999999999999999"}).status_code == 200


@pytest.mark.parametrize("persona", ["bappeda_kabupaten", "admin_user"])
def test_the_lists_queries_do_not_grow_with_its_rows(persona, as_persona, client, ladder, pupr):
    def add(count, start):
        for n in range(start, start + count):
            if n % 2:
                UserFactory(username=f"opd.qqx{n}", role=Role.AGENCY_OFFICER, agency=pupr, region=pupr.region)
            else:
                UserFactory(username=f"desa.qqx{n}", role=Role.VILLAGE_OPERATOR, region=ladder["18.02.01.2001"])

    as_persona(persona)
    add(2, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/akun/", {"q": "qqx"}).status_code == 200
    add(38, 2)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/akun/", {"q": "qqx"})
    assert len(listed_usernames(response)) == 40
    assert len(many) == len(few)


# --- one account: 404 outside scope ---------------------------------------------------------------


@pytest.mark.parametrize("manager, persona", OUTSIDE)
def test_an_account_outside_the_managers_scope_is_a_404_for_every_page_and_nothing_changes(
    manager, persona, as_persona, client, everyone
):
    as_persona(manager)
    pk = everyone[persona].pk
    before = snapshot()
    assert client.get(f"/akun/{pk}/").status_code == 404
    assert client.post(f"/akun/{pk}/", form_data(username=everyone[persona].username)).status_code == 404
    for action in ("nonaktifkan", "aktifkan", "tautan-sandi"):
        assert client.post(f"/akun/{pk}/{action}/").status_code == 404
    assert snapshot() == before


def test_an_account_that_does_not_exist_is_a_404_like_one_out_of_scope(as_persona, client):
    as_persona("admin_user")
    assert client.get("/akun/999999/").status_code == 404
    assert client.get("/akun/99999999999999999999999/").status_code == 404


@pytest.mark.parametrize("manager, persona", INSIDE)
def test_a_manager_opens_the_page_of_every_account_in_scope(manager, persona, as_persona, client, everyone):
    as_persona(manager)
    account = everyone[persona]
    response = client.get(f"/akun/{account.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'name="username" value="{account.username}"' in page
    assert f'name="name" value="{html.escape(account.get_full_name())}"' in page


def test_the_edit_page_shows_an_agency_officers_agency_and_its_region(as_persona, client, everyone):
    as_persona("bappeda_kabupaten")
    page = client.get(f"/akun/{everyone['agency_officer'].pk}/").content.decode()
    assert 'name="region" value="18.02"' in page
    assert 'name="agency" value="1.03.01"' in page


@pytest.mark.parametrize("url", ["/akun/{pk}/nonaktifkan/", "/akun/{pk}/aktifkan/", "/akun/{pk}/tautan-sandi/"])
def test_the_account_actions_answer_get_with_405(url, as_persona, client, everyone):
    as_persona("bappeda_kabupaten")
    assert client.get(url.format(pk=everyone["village_operator"].pk)).status_code == 405


@pytest.mark.parametrize("url", ["/akun/", "/akun/lembar-sandi/", "/akun/impor/templat.xlsx"])
def test_the_pages_that_only_show_answer_post_with_405_and_change_nothing(url, as_persona, client):
    as_persona("bappeda_kabupaten")
    before = snapshot()
    assert client.post(url, form_data()).status_code == 405
    assert client.delete(f"/akun/{as_persona('bappeda_kabupaten').pk}/").status_code == 405
    assert snapshot() == before


# --- creating -------------------------------------------------------------------------------------


def test_the_new_account_form_offers_only_the_roles_the_manager_may_grant(as_persona, client):
    as_persona("bappeda_kabupaten")
    page = client.get("/akun/baru/").content.decode()
    offered = re.findall(r'<option value="([a-z_]+)"', page.split('name="role"')[1].split("</select>")[0])
    assert offered == [*KABUPATEN_ROLES, "bappeda_kabupaten"]
    # The kabupaten's regions and agencies are suggested; the neighbour's are not.
    assert '<option value="18.02.02.2001">' in page
    assert '<option value="1.03.01 Dinas Pekerjaan Umum dan Penataan Ruang">' in page
    assert '<option value="18.01' not in page


def test_bappeda_kabupaten_creates_a_village_operator_without_a_password(as_persona, client, ladder):
    as_persona("bappeda_kabupaten")
    response = client.post("/akun/baru/", form_data(), follow=True)
    account = User.objects.get(username="desa.srilangsep2")
    assert (account.get_full_name(), account.role, account.region, account.agency) == (
        "Siti Aminah",
        Role.VILLAGE_OPERATOR,
        ladder["18.02.01.2001"],
        None,
    )
    assert (account.phone, account.email, account.is_active) == ("0812-1111-2222", "siti@example.org", True)
    assert not account.has_usable_password()
    assert response.redirect_chain == [("/akun/lembar-sandi/", 302)]
    page = response.content.decode()
    assert "The account desa.srilangsep2 was created." in page
    assert '<dd class="code slip-username">desa.srilangsep2</dd>' in page


def test_an_agency_officer_takes_the_region_of_the_agency_named(as_persona, client, pupr):
    as_persona("bappeda_kabupaten")
    client.post(
        "/akun/baru/", form_data(username="opd.pupr2", role=Role.AGENCY_OFFICER, region="", agency="Dinas PUPR")
    )
    account = User.objects.get(username="opd.pupr2")
    assert (account.role, account.agency, account.region) == (Role.AGENCY_OFFICER, pupr, pupr.region)


def test_bappeda_provinsi_creates_the_bappeda_of_one_of_its_kabupaten(as_persona, client, ladder):
    as_persona("bappeda_provinsi")
    client.post("/akun/baru/", form_data(username="bappeda.lamsel2", role=Role.BAPPEDA_KABUPATEN, region="18.01"))
    assert User.objects.get(username="bappeda.lamsel2").region == ladder["18.01"]


@pytest.mark.parametrize(
    "manager, role, label",
    [
        ("bappeda_kabupaten", Role.BAPPEDA_PROVINSI, "Bappeda provinsi"),
        ("bappeda_kabupaten", Role.ADMIN, "Administrator"),
        ("bappeda_provinsi", Role.ADMIN, "Administrator"),
    ],
)
def test_nobody_grants_a_role_above_their_own_and_is_told_why_in_indonesian(manager, role, label, as_persona, client):
    as_persona(manager, language="id")
    before = snapshot()
    response = client.post("/akun/baru/", form_data(username="naik.pangkat", role=role, region="18"))
    assert response.status_code == 200
    assert field_errors(response, "role") == [
        f"Anda tidak boleh memberikan peran “{label}”: peran itu di atas peran Anda sendiri."
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    "manager, code, area",
    [
        ("bappeda_kabupaten", "18.01.01.2001", "Kabupaten Lampung Tengah"),
        ("bappeda_kabupaten", "17.01.01.2001", "Kabupaten Lampung Tengah"),
        ("bappeda_provinsi", "17.01.01.2001", "Lampung"),
    ],
)
def test_nobody_binds_an_account_to_a_region_outside_their_area(manager, code, area, as_persona, client, ladder):
    as_persona(manager, language="id")
    before = snapshot()
    response = client.post("/akun/baru/", form_data(region=code))
    assert field_errors(response, "region") == [f"{ladder[code]} berada di luar wilayah Anda, {area}."]
    assert snapshot() == before


def test_a_bappeda_kabupaten_cannot_create_the_bappeda_of_its_province(as_persona, client):
    as_persona("bappeda_kabupaten")
    response = client.post("/akun/baru/", form_data(role=Role.BAPPEDA_KABUPATEN, region="18"))
    assert field_errors(response, "region") == ["Lampung (18) is outside your area, Kabupaten Lampung Tengah."]


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"region": "18.02.09.2001"}, "region", "There is no region with the code “18.02.09.2001”."),
        (
            {"region": "18.02.01"},
            "region",
            "A village operator works for a village, but Kecamatan Kalirejo (18.02.01) is a district.",
        ),
        ({"region": ""}, "region", "Give the code of the village this officer works for."),
        (
            {"role": Role.AGENCY_OFFICER, "region": "", "agency": "Dinas PU Lampung Selatan"},
            "agency",
            "There is no agency “Dinas PU Lampung Selatan” in your area.",
        ),
        (
            {"role": Role.AGENCY_OFFICER, "region": "18.02", "agency": "1.03.02"},
            "agency",
            "There is no agency “1.03.02” in Kabupaten Lampung Tengah.",
        ),
        (
            {"role": Role.AGENCY_OFFICER, "region": "18.02"},
            "agency",
            "Give the agency of an agency officer: its code or its name.",
        ),
        ({"agency": "Dinas PUPR"}, "agency", "Only agency officers belong to an agency: leave the agency empty."),
        ({"username": "DESA.Kalirejo"}, "username", "The username “DESA.Kalirejo” is already taken: choose another."),
        ({"username": "desa kalirejo"}, "username", None),
        ({"email": "not-an-address"}, "email", None),
    ],
)
def test_the_account_form_refuses_what_does_not_fit_and_says_why(
    data, field, message, as_persona, client, ladder, pupr
):
    AgencyFactory(region=ladder["18.01"], code="1.03.02", name="Dinas PU Lampung Selatan")
    as_persona("bappeda_kabupaten")
    before = snapshot()
    response = client.post("/akun/baru/", form_data(**data))
    errors = field_errors(response, field)
    assert len(errors) == 1
    if message:
        assert errors == [message]
    assert snapshot() == before


# --- editing, deactivating ---------------------------------------------------------------------


def test_a_manager_changes_an_officers_name_phone_and_village(as_persona, client, everyone, ladder):
    as_persona("bappeda_kabupaten")
    account = everyone["village_operator"]
    password = account.password
    response = client.post(
        f"/akun/{account.pk}/",
        form_data(name="Budi  Santoso", username="desa.kalirejo", region="18.02.01.2001", phone="0813"),
        follow=True,
    )
    account.refresh_from_db()
    assert (account.get_full_name(), account.region, account.phone) == ("Budi Santoso", ladder["18.02.01.2001"], "0813")
    assert account.password == password
    assert "The account desa.kalirejo was saved." in response.content.decode()


def test_a_manager_cannot_raise_an_officer_above_their_own_role_by_editing(as_persona, client, everyone):
    as_persona("bappeda_kabupaten", language="id")
    account = everyone["kecamatan_operator"]
    before = snapshot()
    response = client.post(
        f"/akun/{account.pk}/", form_data(username=account.username, role=Role.BAPPEDA_PROVINSI, region="18")
    )
    assert field_errors(response, "role") == [
        "Anda tidak boleh memberikan peran “Bappeda provinsi”: peran itu di atas peran Anda sendiri."
    ]
    assert snapshot() == before


def test_a_bappeda_edits_its_own_contact_details_but_not_its_own_role_or_region(as_persona, client, everyone):
    bappeda = as_persona("bappeda_kabupaten")
    own = form_data(username=bappeda.username, role=Role.BAPPEDA_KABUPATEN, region="18.02", phone="0721-000")
    client.post(f"/akun/{bappeda.pk}/", own)
    bappeda.refresh_from_db()
    assert bappeda.phone == "0721-000"
    response = client.post(f"/akun/{bappeda.pk}/", {**own, "role": Role.KECAMATAN_OPERATOR, "region": "18.02.01"})
    assert field_errors(response, "role") == ["You cannot change your own role; your own Bappeda can."]
    response = client.post(f"/akun/{bappeda.pk}/", {**own, "region": "18.02.01"})
    assert field_errors(response, "region") == [
        "A bappeda regency/city works for a regency/city, but Kecamatan Kalirejo (18.02.01) is a district."
    ]
    bappeda.refresh_from_db()
    assert (bappeda.role, bappeda.region.code) == (Role.BAPPEDA_KABUPATEN, "18.02")


def test_a_deactivated_officer_cannot_log_in_and_their_account_stays(as_persona, client, everyone):
    as_persona("bappeda_kabupaten")
    account = everyone["village_operator"]
    response = client.post(f"/akun/{account.pk}/nonaktifkan/", follow=True)
    assert "desa.kalirejo can no longer log in." in response.content.decode()
    account.refresh_from_db()
    assert account.is_active is False
    client.logout()
    assert not client.login(
        request=RequestFactory().post("/masuk/"), username="desa.kalirejo", password="rahasia-uji-123"
    )

    as_persona("bappeda_kabupaten")
    page = client.get(f"/akun/{account.pk}/").content.decode()
    assert "Reactivate" in page and "New set-password link" not in page
    client.post(f"/akun/{account.pk}/aktifkan/")
    account.refresh_from_db()
    assert account.is_active is True
    client.logout()
    assert client.login(request=RequestFactory().post("/masuk/"), username="desa.kalirejo", password="rahasia-uji-123")


def test_a_deactivated_officers_open_session_ends(client, everyone):
    officer = everyone["village_operator"]
    client.force_login(officer)
    assert client.get("/akun/sandi/").status_code == 200
    User.objects.filter(pk=officer.pk).update(is_active=False)
    assert client.get("/akun/sandi/").status_code == 302


def test_a_bappeda_cannot_deactivate_itself(as_persona, client):
    bappeda = as_persona("bappeda_kabupaten")
    assert "Deactivate" not in client.get(f"/akun/{bappeda.pk}/").content.decode()
    response = client.post(f"/akun/{bappeda.pk}/nonaktifkan/", follow=True)
    assert "You cannot deactivate your own account." in response.content.decode()
    bappeda.refresh_from_db()
    assert bappeda.is_active is True
