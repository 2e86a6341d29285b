"""Who may see and change which proposal, page by page and role by role (proposals/access.py).

Seven proposals spread over the ladder in conftest, one per place an officer might look:

    own_draft / own_submitted               Desa Kalirejo (18.02.01.2003), aimed at Dinas PUPR
    neighbour_draft / neighbour_submitted   Desa Sri Way Langsep (18.02.01.2001), aimed at Dinkes
    other_kecamatan_submitted               Desa Purwodadi, Kecamatan Bangun Rejo (18.02.02), aimed at PUPR
    other_kabupaten_submitted               Desa Merak Batin, Lampung Selatan (18.01)
    other_provinsi_submitted                Desa Lawang Agung, Bengkulu (17)

SCOPE says which of them each persona sees; CASES says what each persona may do with one
proposal (change it, only read it, or not even know it exists). Every refused request also
checks that the database is exactly as it was.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from accounts.models import Role
from proposals import access
from proposals.models import Attachment, AttachmentKind, EventAction, Proposal, ProposalEvent, Sector, Status

from .factories import AgencyFactory, ProposalFactory

TITLES = {
    "own_draft": "Sumur bor dusun Sidomulyo",
    "own_submitted": "Rabat beton jalan dusun Karangsari",
    "neighbour_draft": "Talud saluran irigasi tersier",
    "neighbour_submitted": "Pos pelayanan terpadu balita",
    "other_kecamatan_submitted": "Jembatan gantung kali Way Pengubuan",
    "other_kabupaten_submitted": "Drainase pasar Natar",
    "other_provinsi_submitted": "Bronjong tebing sungai Kedurang",
}

# (village code, submitted?, target agency fixture or None)
PLACES = {
    "own_draft": ("18.02.01.2003", False, "pupr"),
    "own_submitted": ("18.02.01.2003", True, "pupr"),
    "neighbour_draft": ("18.02.01.2001", False, "dinkes"),
    "neighbour_submitted": ("18.02.01.2001", True, "dinkes"),
    "other_kecamatan_submitted": ("18.02.02.2001", True, "pupr"),
    "other_kabupaten_submitted": ("18.01.01.2001", True, None),
    "other_provinsi_submitted": ("17.01.01.2001", True, None),
}

SUBTREE_OF_LAMPUNG_TENGAH = {"own_submitted", "neighbour_submitted", "other_kecamatan_submitted"}

# What each persona's list (and Proposal.objects.visible_to) holds: nothing else, nothing less.
SCOPE = {
    "village_operator": {"own_draft", "own_submitted"},
    "neighbour_village_operator": {"neighbour_draft", "neighbour_submitted"},
    "kecamatan_operator": {"own_submitted", "neighbour_submitted"},
    "other_kecamatan_operator": {"other_kecamatan_submitted"},
    "agency_officer": {"own_submitted", "other_kecamatan_submitted"},
    "other_agency_officer": {"neighbour_submitted"},
    "bappeda_kabupaten": SUBTREE_OF_LAMPUNG_TENGAH,
    "other_bappeda_kabupaten": {"other_kabupaten_submitted"},
    "bappeda_provinsi": SUBTREE_OF_LAMPUNG_TENGAH | {"other_kabupaten_submitted"},
    "other_bappeda_provinsi": {"other_provinsi_submitted"},
    "admin_user": set(TITLES),
    # The DPRD channel sees Pokir only (tests/test_pokir.py), never a village's items.
    "dprd_member": set(),
    "dprd_secretariat": set(),
}
PERSONAS = list(SCOPE)

CHANGE, READ, HIDDEN = "may change", "may only read", "may not see"

# (persona, proposal, what the persona may do with it). Each role against the Kalirejo draft
# and the submitted Kalirejo proposal, plus each home persona against a sibling region's one.
CASES = [
    ("village_operator", "own_draft", CHANGE),
    ("village_operator", "own_submitted", READ),
    ("village_operator", "neighbour_draft", HIDDEN),
    ("village_operator", "neighbour_submitted", HIDDEN),
    ("neighbour_village_operator", "own_draft", HIDDEN),
    ("neighbour_village_operator", "own_submitted", HIDDEN),
    ("kecamatan_operator", "own_draft", HIDDEN),
    ("kecamatan_operator", "own_submitted", READ),
    ("kecamatan_operator", "neighbour_submitted", READ),
    ("kecamatan_operator", "other_kecamatan_submitted", HIDDEN),
    ("other_kecamatan_operator", "own_draft", HIDDEN),
    ("other_kecamatan_operator", "own_submitted", HIDDEN),
    ("agency_officer", "own_draft", HIDDEN),
    ("agency_officer", "own_submitted", READ),
    ("agency_officer", "other_kecamatan_submitted", READ),
    ("agency_officer", "neighbour_submitted", HIDDEN),
    ("other_agency_officer", "own_draft", HIDDEN),
    ("other_agency_officer", "own_submitted", HIDDEN),
    ("bappeda_kabupaten", "own_draft", HIDDEN),
    ("bappeda_kabupaten", "own_submitted", READ),
    ("bappeda_kabupaten", "other_kecamatan_submitted", READ),
    ("bappeda_kabupaten", "other_kabupaten_submitted", HIDDEN),
    ("other_bappeda_kabupaten", "own_draft", HIDDEN),
    ("other_bappeda_kabupaten", "own_submitted", HIDDEN),
    ("bappeda_provinsi", "own_draft", HIDDEN),
    ("bappeda_provinsi", "own_submitted", READ),
    ("bappeda_provinsi", "other_kabupaten_submitted", READ),
    ("bappeda_provinsi", "other_provinsi_submitted", HIDDEN),
    ("other_bappeda_provinsi", "own_draft", HIDDEN),
    ("other_bappeda_provinsi", "own_submitted", HIDDEN),
    ("admin_user", "own_draft", READ),
    ("admin_user", "own_submitted", READ),
    ("admin_user", "other_provinsi_submitted", READ),
    ("dprd_member", "own_draft", HIDDEN),
    ("dprd_member", "own_submitted", HIDDEN),
    ("dprd_secretariat", "own_draft", HIDDEN),
    ("dprd_secretariat", "own_submitted", HIDDEN),
]


def _cases(*outcomes):
    return [pytest.param(persona, key, id=f"{persona}-{key}") for persona, key, outcome in CASES if outcome in outcomes]


# The pages that change a proposal, as (url name, method).
WRITES = [("edit", "get"), ("edit", "post"), ("submit", "post"), ("delete", "get"), ("delete", "post")]
WRITE_IDS = [f"{method.upper()} {name}" for name, method in WRITES]

NEW_TITLE = "Judul yang diganti oleh orang lain"
PDF_BYTES = b"%PDF-1.4\n% lampiran uji untuk "

UPPER_PERSONAS = ["kecamatan_operator", "agency_officer", "bappeda_kabupaten", "bappeda_provinsi"]
NON_VILLAGE_PERSONAS = [p for p in PERSONAS if p not in ("village_operator", "neighbour_village_operator")]


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fast_passwords_and_private_media(settings, tmp_path):
    # Every persona and proposal author gets a hashed password; PBKDF2 would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def proposals(ladder, pupr, dinkes):
    agencies = {"pupr": pupr, "dinkes": dinkes, None: None}
    return {
        key: ProposalFactory(
            village=ladder[village_code], title=TITLES[key], submitted=submitted, target_agency=agencies[agency]
        )
        for key, (village_code, submitted, agency) in PLACES.items()
    }


@pytest.fixture
def attachments(proposals):
    """One small PDF per proposal, each with its own content."""
    return {
        key: Attachment.objects.create(
            proposal=proposal,
            kind=AttachmentKind.PROPOSAL_DOCUMENT,
            file=SimpleUploadedFile(f"{key}.pdf", PDF_BYTES + key.encode(), content_type="application/pdf"),
            original_name=f"{key}.pdf",
            content_type="application/pdf",
            size=len(PDF_BYTES + key.encode()),
        )
        for key, proposal in proposals.items()
    }


@pytest.fixture
def login(client, request):
    """Log in as the named persona fixture; returns the user."""

    def log_in(persona):
        user = request.getfixturevalue(persona)
        client.force_login(user)
        return user

    return log_in


# --- helpers --------------------------------------------------------------------------------


def _form_data(proposal, **changes):
    """Everything the proposal form posts for this proposal, with some fields changed."""
    data = {
        "title": proposal.title,
        "problem": proposal.problem,
        "proposed_work": proposal.proposed_work,
        "proposer_type": proposal.proposer_type,
        "proposer_name": proposal.proposer_name,
        "proposer_contact": proposal.proposer_contact,
        "sector": proposal.sector_id,
        "work_kind": proposal.work_kind,
        "target_agency": proposal.target_agency_id or "",
        "rt": "",
        "rw": "",
        "address": "",
        "latitude": "",
        "longitude": "",
        "volume": str(proposal.volume),
        "unit": proposal.unit,
        "estimated_cost": "150.000.000",
        "beneficiaries": proposal.beneficiaries,
        "beneficiary_count": str(proposal.beneficiary_count),
    }
    data.update(changes)
    return data


def _send(client, name, method, proposal):
    url = reverse(f"proposals:{name}", args=[proposal.pk])
    if method == "post":
        data = _form_data(proposal, title=NEW_TITLE) if name == "edit" else {}
        return client.post(url, data)
    return client.get(url)


def _snapshot(proposal):
    """Everything a refused request must leave as it was."""
    row = (
        Proposal.objects.filter(pk=proposal.pk)
        .values("title", "status", "tracking_code", "submitted_at", "updated_at")
        .first()
    )
    return (
        row,
        list(ProposalEvent.objects.filter(proposal_id=proposal.pk).values_list("action", flat=True)),
        list(Attachment.objects.filter(proposal_id=proposal.pk).values_list("pk", flat=True)),
    )


def _listed_titles(response):
    return {row.title for row in response.context["table"].data}


def _content(response):
    return response.content.decode()


def _download(response):
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


# --- the table itself -----------------------------------------------------------------------


def test_every_case_agrees_with_the_scope_table():
    for persona, key, outcome in CASES:
        assert (outcome != HIDDEN) == (key in SCOPE[persona]), (persona, key, outcome)
    assert {persona for persona, _, _ in CASES} == set(PERSONAS)


# --- the rules in proposals.access, called directly -----------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_can_create_is_true_only_for_village_operators(persona, request):
    user = request.getfixturevalue(persona)
    assert access.can_create(user) == (user.role == Role.VILLAGE_OPERATOR)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_village_operator_of_the_proposals_village_may_edit_submit_or_delete_its_draft(
    persona, proposals, request
):
    user = request.getfixturevalue(persona)
    for key, proposal in proposals.items():
        may = (persona, key) in {("village_operator", "own_draft"), ("neighbour_village_operator", "neighbour_draft")}
        assert access.can_edit(user, proposal) == may, key
        assert access.can_submit(user, proposal) == may, key
        assert access.can_delete(user, proposal) == may, key


def test_an_anonymous_user_may_neither_create_nor_change_anything(proposals):
    anonymous = AnonymousUser()
    assert not access.can_create(anonymous)
    assert not access.can_edit(anonymous, proposals["own_draft"])


@pytest.mark.parametrize(("persona", "key"), _cases(CHANGE, READ, HIDDEN))
def test_get_proposal_for_user_hides_what_is_out_of_scope_and_refuses_what_is_read_only(
    persona, key, proposals, request
):
    user = request.getfixturevalue(persona)
    outcome = {(p, k): o for p, k, o in CASES}[(persona, key)]
    pk = proposals[key].pk
    if outcome == HIDDEN:
        with pytest.raises(Http404):
            access.get_proposal_for_user(user, pk)
        with pytest.raises(Http404):
            access.get_proposal_for_user(user, pk, write=True)
        return
    assert access.get_proposal_for_user(user, pk).title == TITLES[key]
    if outcome == CHANGE:
        assert access.get_proposal_for_user(user, pk, write=True).title == TITLES[key]
    else:
        with pytest.raises(PermissionDenied):
            access.get_proposal_for_user(user, pk, write=True)


# --- Proposal.objects.visible_to ------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_visible_to_returns_exactly_the_proposals_in_the_personas_scope(persona, proposals, request):
    user = request.getfixturevalue(persona)
    visible = set(Proposal.objects.visible_to(user).values_list("title", flat=True))
    assert visible == {TITLES[key] for key in SCOPE[persona]}


def test_visible_to_returns_nothing_for_an_anonymous_user(proposals):
    assert list(Proposal.objects.visible_to(AnonymousUser())) == []


@pytest.mark.parametrize("persona", ["village_operator", "kecamatan_operator", "agency_officer", "admin_user"])
def test_visible_to_returns_nothing_for_a_deactivated_officer(persona, proposals, request):
    user = request.getfixturevalue(persona)
    user.is_active = False
    user.save()
    assert list(Proposal.objects.visible_to(user)) == []


def test_visible_to_narrows_a_queryset_without_widening_it(proposals, kecamatan_operator):
    narrowed = Proposal.objects.filter(title__in=[TITLES["own_submitted"], TITLES["other_kecamatan_submitted"]])
    assert set(narrowed.visible_to(kecamatan_operator).values_list("title", flat=True)) == {TITLES["own_submitted"]}


# --- the list page --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_shows_exactly_the_proposals_in_the_personas_scope(persona, proposals, client, login):
    login(persona)
    response = client.get(reverse("proposals:list"))
    assert response.status_code == 200
    expected = {TITLES[key] for key in SCOPE[persona]}
    assert _listed_titles(response) == expected
    page = _content(response)
    for key, title in TITLES.items():
        assert (title in page) == (key in SCOPE[persona]), title


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_csv_export_holds_exactly_the_proposals_in_the_personas_scope(persona, proposals, client, login):
    login(persona)
    response = client.get(reverse("proposals:list"), {"_export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row[1] for row in rows[1:]} == {TITLES[key] for key in SCOPE[persona]}


@pytest.mark.parametrize("persona", UPPER_PERSONAS)
def test_a_draft_is_invisible_to_everyone_above_the_village(persona, proposals, client, login):
    login(persona)
    draft = proposals["own_draft"]
    detail = client.get(draft.get_absolute_url())
    assert detail.status_code == 404
    assert draft.title not in _content(detail)
    listed = client.get(reverse("proposals:list"))
    assert draft.title not in _listed_titles(listed)
    assert draft.title not in _content(listed)


@pytest.mark.parametrize(
    ("persona", "region_code", "hidden_key"),
    [
        pytest.param("kecamatan_operator", "18.02.02", "other_kecamatan_submitted", id="kecamatan-neighbour_kecamatan"),
        pytest.param("bappeda_kabupaten", "18.01", "other_kabupaten_submitted", id="kabupaten-neighbour_kabupaten"),
        pytest.param("bappeda_provinsi", "17", "other_provinsi_submitted", id="provinsi-neighbour_provinsi"),
        pytest.param("village_operator", "18.02.01.2001", "neighbour_submitted", id="village-neighbour_village"),
    ],
)
def test_choosing_a_region_outside_ones_scope_in_the_filter_shows_nothing(
    persona, region_code, hidden_key, proposals, client, login
):
    login(persona)
    response = client.get(reverse("proposals:list"), {"wilayah": region_code})
    assert response.status_code == 200
    assert TITLES[hidden_key] not in _listed_titles(response)
    assert TITLES[hidden_key] not in _content(response)


def test_kecamatan_operator_cannot_find_a_neighbouring_kecamatans_proposal_by_its_tracking_code(
    proposals, client, kecamatan_operator
):
    client.force_login(kecamatan_operator)
    code = proposals["other_kecamatan_submitted"].tracking_code
    response = client.get(reverse("proposals:list"), {"q": code})
    assert _listed_titles(response) == set()
    assert TITLES["other_kecamatan_submitted"] not in _content(response)


def test_kecamatan_operator_finds_their_own_kecamatans_proposal_by_its_tracking_code(
    proposals, client, kecamatan_operator
):
    client.force_login(kecamatan_operator)
    response = client.get(reverse("proposals:list"), {"q": proposals["own_submitted"].tracking_code})
    assert _listed_titles(response) == {TITLES["own_submitted"]}


# --- the detail page ------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "key"), _cases(CHANGE, READ))
def test_whoever_may_see_a_proposal_gets_its_detail_page(persona, key, proposals, client, login):
    login(persona)
    proposal = proposals[key]
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    page = _content(response)
    assert f"<h1>{proposal.title}</h1>" in page
    if proposal.tracking_code:
        assert proposal.tracking_code in page


@pytest.mark.parametrize(("persona", "key"), _cases(READ))
def test_a_read_only_officer_is_offered_no_edit_submit_or_delete_buttons(persona, key, proposals, client, login):
    login(persona)
    proposal = proposals[key]
    page = _content(client.get(proposal.get_absolute_url()))
    assert proposal.title in page
    for name in ("edit", "submit", "delete"):
        assert reverse(f"proposals:{name}", args=[proposal.pk]) not in page


def test_the_village_operator_is_offered_edit_submit_and_delete_on_their_own_draft(
    proposals, client, village_operator, intake
):
    client.force_login(village_operator)
    draft = proposals["own_draft"]
    page = _content(client.get(draft.get_absolute_url()))
    for name in ("edit", "submit", "delete"):
        assert reverse(f"proposals:{name}", args=[draft.pk]) in page


@pytest.mark.parametrize(("persona", "key"), _cases(HIDDEN))
def test_whoever_may_not_see_a_proposal_gets_404_from_its_detail_page(persona, key, proposals, client, login):
    login(persona)
    proposal = proposals[key]
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 404
    assert proposal.title not in _content(response)


def test_a_proposal_that_does_not_exist_is_a_404_like_one_out_of_scope(proposals, client, admin_user):
    client.force_login(admin_user)
    missing = max(p.pk for p in proposals.values()) + 1
    response = client.get(reverse("proposals:detail", args=[missing]))
    assert response.status_code == 404
    assert not Proposal.objects.filter(pk=missing).exists()


def test_a_proposal_number_beyond_the_databases_range_is_a_404_not_a_server_error(proposals, client, admin_user):
    client.force_login(admin_user)
    too_big = 2**63
    detail = client.get(f"/usulan/{too_big}/")
    attachment = client.get(f"/usulan/{proposals['own_submitted'].pk}/lampiran/{too_big}/")
    assert (detail.status_code, attachment.status_code) == (404, 404)
    assert TITLES["own_submitted"] not in _content(attachment)


# Named examples from the table above, as the rules are usually stated.


def test_kecamatan_operator_cannot_see_a_neighbouring_kecamatans_proposal(proposals, client, kecamatan_operator):
    client.force_login(kecamatan_operator)
    response = client.get(proposals["other_kecamatan_submitted"].get_absolute_url())
    assert response.status_code == 404
    assert TITLES["other_kecamatan_submitted"] not in _content(response)


def test_village_operator_cannot_see_the_neighbouring_villages_draft(proposals, client, village_operator):
    client.force_login(village_operator)
    response = client.get(proposals["neighbour_draft"].get_absolute_url())
    assert response.status_code == 404
    assert TITLES["neighbour_draft"] not in _content(response)


def test_agency_officer_sees_only_proposals_aimed_at_their_agency(proposals, client, agency_officer):
    client.force_login(agency_officer)
    aimed_at_pupr = client.get(proposals["own_submitted"].get_absolute_url())
    aimed_at_dinkes = client.get(proposals["neighbour_submitted"].get_absolute_url())
    assert TITLES["own_submitted"] in _content(aimed_at_pupr)
    assert aimed_at_dinkes.status_code == 404
    assert TITLES["neighbour_submitted"] not in _content(aimed_at_dinkes)


def test_a_draft_becomes_visible_above_the_village_once_submitted(
    proposals, client, village_operator, kecamatan_operator, intake
):
    draft = proposals["own_draft"]
    client.force_login(kecamatan_operator)
    assert client.get(draft.get_absolute_url()).status_code == 404

    client.force_login(village_operator)
    client.post(reverse("proposals:submit", args=[draft.pk]))

    client.force_login(kecamatan_operator)
    response = client.get(draft.get_absolute_url())
    draft.refresh_from_db()
    assert response.status_code == 200
    assert draft.title in _content(response)
    assert draft.tracking_code in _content(response)
    assert draft.title in _listed_titles(client.get(reverse("proposals:list")))


# --- changing a proposal: the one person allowed ----------------------------------------------


def test_the_village_operator_opens_the_edit_form_of_their_own_draft(proposals, client, village_operator, intake):
    client.force_login(village_operator)
    draft = proposals["own_draft"]
    response = client.get(reverse("proposals:edit", args=[draft.pk]))
    assert response.status_code == 200
    assert f'value="{draft.title}"' in _content(response)
    assert response.context["form"].instance == draft


def test_the_village_operator_changes_the_title_of_their_own_draft(proposals, client, village_operator, intake):
    client.force_login(village_operator)
    draft = proposals["own_draft"]
    response = client.post(reverse("proposals:edit", args=[draft.pk]), _form_data(draft, title="Sumur bor dua titik"))
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.title == "Sumur bor dua titik"
    assert draft.status == Status.DRAFT
    assert list(draft.events.values_list("action", flat=True)) == [EventAction.EDITED]


def test_the_village_operator_submits_their_own_draft(proposals, client, village_operator, intake):
    client.force_login(village_operator)
    draft = proposals["own_draft"]
    assert draft.tracking_code is None
    response = client.post(reverse("proposals:submit", args=[draft.pk]))
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", draft.tracking_code)
    assert draft.submitted_at is not None
    assert list(draft.events.values_list("action", flat=True)) == [EventAction.SUBMITTED]


def test_the_village_operator_is_asked_to_confirm_before_deleting_their_own_draft(proposals, client, village_operator):
    client.force_login(village_operator)
    draft = proposals["own_draft"]
    response = client.get(reverse("proposals:delete", args=[draft.pk]))
    assert response.status_code == 200
    assert draft.title in _content(response)
    assert Proposal.objects.filter(pk=draft.pk).exists()


def test_the_village_operator_deletes_their_own_draft_and_its_files(
    proposals, attachments, client, village_operator, settings, django_capture_on_commit_callbacks
):
    client.force_login(village_operator)
    draft = proposals["own_draft"]
    stored = settings.MEDIA_ROOT / attachments["own_draft"].file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("proposals:delete", args=[draft.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:list")
    assert not Proposal.objects.filter(pk=draft.pk).exists()
    assert not Attachment.objects.filter(pk=attachments["own_draft"].pk).exists()
    assert not stored.exists()
    # The submitted proposal of the same village is untouched.
    assert Proposal.objects.filter(pk=proposals["own_submitted"].pk).exists()


def test_the_village_operator_cannot_remove_another_proposals_attachment_through_their_own_draft(
    proposals, attachments, client, village_operator, intake
):
    client.force_login(village_operator)
    draft, foreign = proposals["own_draft"], attachments["neighbour_draft"]
    data = _form_data(draft, title="Sumur bor dua titik", remove_attachments=[foreign.pk])
    response = client.post(reverse("proposals:edit", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "remove_attachments" in response.context["form"].errors
    assert Attachment.objects.filter(pk=foreign.pk).exists()
    assert Proposal.objects.get(pk=draft.pk).title == TITLES["own_draft"]


def test_the_village_operator_cannot_aim_their_draft_at_another_kabupatens_agency(
    proposals, ladder, client, village_operator, intake
):
    elsewhere = AgencyFactory(region=ladder["18.01"], code="1.03.01", name="Dinas PUPR Lampung Selatan")
    client.force_login(village_operator)
    draft = proposals["own_draft"]
    response = client.post(reverse("proposals:edit", args=[draft.pk]), _form_data(draft, target_agency=elsewhere.pk))
    assert response.status_code == 200
    assert "target_agency" in response.context["form"].errors
    assert Proposal.objects.get(pk=draft.pk).target_agency.short_name == "Dinas PUPR"


# --- changing a proposal: everyone else -----------------------------------------------------


@pytest.mark.parametrize(("name", "method"), WRITES, ids=WRITE_IDS)
@pytest.mark.parametrize(("persona", "key"), _cases(READ))
def test_a_read_only_officer_is_refused_every_change_with_403_and_nothing_changes(
    persona, key, name, method, proposals, attachments, client, login, intake
):
    login(persona)
    proposal = proposals[key]
    before = _snapshot(proposal)
    response = _send(client, name, method, proposal)
    if persona == "village_operator" and key == "own_submitted" and name == "submit":
        # Its own village's second "Ajukan" is a double tap: told it went through, not refused.
        assert (response.status_code, response["Location"]) == (302, f"/usulan/{proposal.pk}/")
    else:
        assert response.status_code == 403
    assert 'name="title"' not in _content(response)
    assert _snapshot(proposal) == before


@pytest.mark.parametrize(("name", "method"), WRITES, ids=WRITE_IDS)
@pytest.mark.parametrize(("persona", "key"), _cases(HIDDEN))
def test_an_officer_who_may_not_see_a_proposal_gets_404_for_every_change_and_nothing_changes(
    persona, key, name, method, proposals, attachments, client, login, intake
):
    login(persona)
    proposal = proposals[key]
    before = _snapshot(proposal)
    response = _send(client, name, method, proposal)
    assert response.status_code == 404
    assert proposal.title not in _content(response)
    assert _snapshot(proposal) == before


def test_submit_answers_get_with_405_and_leaves_the_draft_alone(proposals, client, village_operator, intake):
    client.force_login(village_operator)
    draft = proposals["own_draft"]
    before = _snapshot(draft)
    response = client.get(reverse("proposals:submit", args=[draft.pk]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert _snapshot(draft) == before
    assert Proposal.objects.get(pk=draft.pk).tracking_code is None


@pytest.mark.parametrize(("name", "method"), [("edit", "put"), ("edit", "delete"), ("delete", "delete")])
def test_edit_and_delete_answer_other_methods_with_405_and_change_nothing(
    name, method, proposals, client, village_operator, intake
):
    client.force_login(village_operator)
    draft = proposals["own_draft"]
    before = _snapshot(draft)
    response = getattr(client, method)(reverse(f"proposals:{name}", args=[draft.pk]))
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}
    assert _snapshot(draft) == before


# --- creating a proposal --------------------------------------------------------------------


def test_a_village_operator_opens_the_new_proposal_form_for_their_village(client, village_operator, intake):
    client.force_login(village_operator)
    response = client.get(reverse("proposals:create"))
    assert response.status_code == 200
    assert response.context["village"] == village_operator.region
    assert 'name="title"' in _content(response)


def test_a_village_operator_creates_a_draft_in_their_own_village(proposals, client, village_operator, intake):
    client.force_login(village_operator)
    data = _form_data(proposals["own_draft"], title="Lampu jalan tenaga surya")
    response = client.post(reverse("proposals:create"), data)
    created = Proposal.objects.get(title="Lampu jalan tenaga surya")
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert created.village == village_operator.region
    assert created.kecamatan == village_operator.region.parent
    assert created.status == Status.DRAFT
    assert created.created_by == village_operator


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("persona", NON_VILLAGE_PERSONAS)
def test_only_a_village_operator_may_create_a_proposal(persona, method, client, login, ladder, intake):
    login(persona)
    sector = Sector.objects.get(code="1.03")
    data = {
        "title": "Usulan dari orang yang tidak berhak",
        "problem": "-",
        "proposed_work": "-",
        "proposer_type": "desa",
        "proposer_name": "-",
        "sector": sector.pk,
        "work_kind": "fisik",
        "volume": "1",
        "unit": "unit",
        "estimated_cost": "1000000",
        "beneficiaries": "-",
        "beneficiary_count": "1",
    }
    response = getattr(client, method)(reverse("proposals:create"), data if method == "post" else None)
    assert response.status_code == 403
    assert 'name="title"' not in _content(response)
    assert Proposal.objects.count() == 0


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_new_proposal_button_is_shown_only_to_village_operators(persona, client, login, ladder):
    user = login(persona)
    page = _content(client.get(reverse("proposals:list")))
    assert (reverse("proposals:create") in page) == (user.role == Role.VILLAGE_OPERATOR)


# --- attachments ----------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "key"), _cases(CHANGE, READ))
def test_whoever_may_see_a_proposal_downloads_its_attachment(persona, key, attachments, client, login):
    login(persona)
    attachment = attachments[key]
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert _download(response) == PDF_BYTES + key.encode()


@pytest.mark.parametrize(("persona", "key"), _cases(HIDDEN))
def test_whoever_may_not_see_a_proposal_gets_404_for_its_attachment(persona, key, attachments, client, login):
    login(persona)
    response = client.get(attachments[key].get_absolute_url())
    assert response.status_code == 404
    assert PDF_BYTES not in response.content


@pytest.mark.parametrize(
    ("persona", "visible_key", "hidden_key"),
    [
        pytest.param("village_operator", "own_draft", "neighbour_draft", id="village_operator"),
        pytest.param("kecamatan_operator", "own_submitted", "other_kecamatan_submitted", id="kecamatan_operator"),
        pytest.param("agency_officer", "own_submitted", "neighbour_submitted", id="agency_officer"),
        pytest.param("bappeda_kabupaten", "own_submitted", "other_kabupaten_submitted", id="bappeda_kabupaten"),
        pytest.param("bappeda_provinsi", "own_submitted", "other_provinsi_submitted", id="bappeda_provinsi"),
    ],
)
def test_an_attachment_cannot_be_fetched_through_another_proposal_one_may_see(
    persona, visible_key, hidden_key, proposals, attachments, client, login
):
    login(persona)
    url = reverse("proposals:attachment", args=[proposals[visible_key].pk, attachments[hidden_key].pk])
    response = client.get(url)
    assert response.status_code == 404
    assert (PDF_BYTES + hidden_key.encode()) not in response.content


def test_an_attachment_whose_file_is_gone_is_a_404(attachments, client, village_operator):
    client.force_login(village_operator)
    attachment = attachments["own_draft"]
    attachment.file.delete(save=False)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


# --- anonymous visitors ---------------------------------------------------------------------

ANONYMOUS_PAGES = [
    ("list", "get", None),
    ("create", "get", None),
    ("create", "post", None),
    ("detail", "get", "own_submitted"),
    ("edit", "get", "own_draft"),
    ("edit", "post", "own_draft"),
    ("submit", "post", "own_draft"),
    ("submit", "get", "own_draft"),
    ("delete", "get", "own_draft"),
    ("delete", "post", "own_draft"),
    ("attachment", "get", "own_submitted"),
]


@pytest.mark.parametrize(
    ("name", "method", "key"), ANONYMOUS_PAGES, ids=[f"{m.upper()} {n}" for n, m, _ in ANONYMOUS_PAGES]
)
def test_an_anonymous_visitor_is_sent_to_the_login_page_and_nothing_changes(
    name, method, key, proposals, attachments, client, intake
):
    if name == "attachment":
        url = attachments[key].get_absolute_url()
    elif key:
        url = reverse(f"proposals:{name}", args=[proposals[key].pk])
    else:
        url = reverse(f"proposals:{name}")
    before = {k: _snapshot(p) for k, p in proposals.items()}
    data = _form_data(proposals["own_draft"], title=NEW_TITLE) if method == "post" else None
    response = getattr(client, method)(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
    assert response["Location"] == f"/masuk/?next={url}"
    assert {k: _snapshot(p) for k, p in proposals.items()} == before
    assert Proposal.objects.count() == len(TITLES)
