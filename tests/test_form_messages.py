"""Every form's error messages name the field and say what to do, in the reader's language
(musrenbang/form_messages.py), and a file input the browser emptied says which files to choose
again. Pages are read in Indonesian, the site's language, unless a test says otherwise.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape

from accounts.models import Role, User
from forums.models import ForumScan
from musrenbang.form_messages import SpecificMessagesMixin, specific_messages
from proposals.models import Attachment, Proposal, ProposalEvent
from regions.models import Office

from .test_forum_pages import desa_forum, items  # noqa: F401  (fixtures)
from .test_forum_scans import approved, desa, pdf_bytes  # noqa: F401  (fixtures)
from .test_intake import TITLE, form_data, pdf, photo, stored_files

APPS = [
    "regions",
    "uploads",
    "accounts",
    "downloads",
    "planning",
    "catalogue",
    "proposals",
    "forums",
    "delivery",
    "public",
]
APPS += ["dashboards", "reports", "audit", "notifications"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def indonesian(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"
    return client


def error_of(name: str, message: str) -> str:
    """The error list Django renders beside a field, as the page should hold it."""
    return f'<ul class="errorlist" id="id_{name}_error"><li>{escape(message)}</li></ul>'


# --- the proposal form, every rule ------------------------------------------------------------


PROPOSAL_RULES = [
    pytest.param({"title": ""}, "title", "Isi judul.", id="required text"),
    pytest.param({"title": "J" * 201}, "title", "Judul paling banyak 200 karakter.", id="too long"),
    pytest.param({"rt": "0003"}, "rt", "RT paling banyak 3 karakter.", id="an abbreviation keeps its capitals"),
    pytest.param({"sector": ""}, "sector", "Pilih bidang urusan.", id="required select"),
    pytest.param(
        {"sector": "999999"}, "sector", "Pilih bidang urusan dari pilihan yang tersedia.", id="invalid choice"
    ),
    pytest.param({"work_kind": ""}, "work_kind", "Pilih jenis kegiatan.", id="required radio"),
    pytest.param(
        {"estimated_cost": "seratus juta"},
        "estimated_cost",
        "Perkiraan biaya harus berupa angka rupiah, misalnya 150.000.000.",
        id="rupiah in words",
    ),
    pytest.param(
        {"estimated_cost": "-50.000"}, "estimated_cost", "Perkiraan biaya tidak boleh kurang dari 0.", id="min value"
    ),
    pytest.param(
        {"estimated_cost": "Rp100.000.000.001"},
        "estimated_cost",
        "Perkiraan biaya tidak boleh lebih dari 100.000.000.000.",
        id="max value",
    ),
    pytest.param({"volume": "tiga ratus"}, "volume", "Volume harus berupa angka.", id="invalid decimal"),
    pytest.param({"volume": "12.345"}, "volume", "Volume paling banyak 2 digit di belakang koma.", id="decimal places"),
    pytest.param(
        {"beneficiary_count": "banyak"},
        "beneficiary_count",
        "Jumlah penerima manfaat harus berupa bilangan bulat.",
        id="invalid integer",
    ),
    pytest.param(
        {"beneficiary_count": "3000000000"},
        "beneficiary_count",
        "Jumlah penerima manfaat tidak boleh lebih dari 2.147.483.647.",
        id="the model's own range",
    ),
    # The form's own words stay: a label that is no noun, and a rule of the form's clean_volume.
    pytest.param({"proposer_type": ""}, "proposer_type", "Pilih pengusul.", id="the form's Meta message"),
    pytest.param({"volume": "0"}, "volume", "Volume harus lebih dari 0.", id="the form's clean message"),
]


@pytest.mark.parametrize(("data", "name", "message"), PROPOSAL_RULES)
def test_each_broken_rule_of_the_proposal_form_names_its_field(
    indonesian, village_operator, intake, data, name, message
):
    indonesian.force_login(village_operator)

    response = indonesian.post("/usulan/baru/", form_data(**data))

    assert response.status_code == 200
    assert {field: [str(e) for e in errors] for field, errors in response.context["form"].errors.items()} == {
        name: [message]
    }
    assert error_of(name, message) in response.content.decode()
    assert Proposal.objects.count() == 0


def test_the_messages_follow_the_readers_language(client, village_operator, intake):
    client.force_login(village_operator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = client.post("/usulan/baru/", form_data(title="", estimated_cost="seratus juta"))

    page = response.content.decode()
    assert error_of("title", "Enter the title.") in page
    assert error_of("estimated_cost", "Estimated cost must be an amount in rupiah, for example 150.000.000.") in page


# --- the other apps' forms ------------------------------------------------------------------------


def test_the_account_form_names_each_field(indonesian, bappeda_kabupaten):
    indonesian.force_login(bappeda_kabupaten)
    data = {"name": "", "username": "u" * 151, "role": "", "region": "", "agency": "", "email": "bukan-surel"}

    response = indonesian.post("/akun/baru/", data)

    page = response.content.decode()
    assert error_of("name", "Isi nama lengkap.") in page
    assert error_of("username", "Nama pengguna paling banyak 150 karakter.") in page
    assert error_of("role", "Pilih peran.") in page
    assert error_of("email", "Isi alamat email dengan format yang benar, misalnya nama@contoh.id.") in page
    assert not User.objects.filter(role=Role.VILLAGE_OPERATOR, username__startswith="uuu").exists()


def test_the_forum_details_form_names_each_field(indonesian, desa_forum, village_operator):  # noqa: F811
    indonesian.force_login(village_operator)

    response = indonesian.post(f"/musyawarah/{desa_forum.pk}/ubah/", {"held_on": "21 Januari", "starts_at": "pagi"})

    page = response.content.decode()
    assert error_of("held_on", "Tanggal harus berupa tanggal yang benar.") in page
    assert error_of("starts_at", "Pukul harus berupa waktu yang benar.") in page
    desa_forum.refresh_from_db()
    assert (desa_forum.held_on, desa_forum.starts_at) == (None, None)


def test_the_public_forms_name_their_field_and_keep_their_own_words(indonesian, ladder):
    tracked = indonesian.get("/lacak/", {"code": ""}).content.decode()
    verified = indonesian.post("/verifikasi/", {}).content.decode()
    record = indonesian.get("/daftar-usulan/", {"wilayah": "99.99"}).content.decode()

    assert error_of("code", "Isi kode pelacakan.") in tracked
    assert error_of("file", "Pilih berkas berita acara.") in verified
    assert "Wilayah itu tidak ada; pilih dari daftar." in record


def test_a_forms_own_message_is_kept(indonesian, village_operator, intake):
    indonesian.force_login(village_operator)

    response = indonesian.post("/usulan/ajukan-draf/", {})

    assert [str(e) for e in response.context["form"].errors["drafts"]] == [
        "Centang paling sedikit satu draf untuk diajukan."
    ]


# --- no form is left with Django's words ---------------------------------------------------------


def form_classes() -> list[type[forms.BaseForm]]:
    """Every form class the apps define, but the filter bars (django-filter's, of list pages)."""
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)
    found, stack = set(), [forms.BaseForm]
    while stack:
        for cls in stack.pop().__subclasses__():
            stack.append(cls)
            if cls.__module__.split(".")[0] in APPS and not cls.__module__.endswith(".filters"):
                found.add(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


def test_every_form_of_the_apps_gets_the_specific_messages():
    classes = form_classes()

    assert {cls.__name__ for cls in classes} >= {"ProposalForm", "AccountForm", "ForumDetailsForm", "TrackForm"}
    assert [cls for cls in classes if not issubclass(cls, SpecificMessagesMixin)] == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_no_field_of_any_form_keeps_djangos_generic_required_message(language):
    with translation.override(language):
        generic = str(forms.Field.default_error_messages["required"])
        left = []
        for cls in form_classes():
            fields = copy.deepcopy(cls.base_fields)
            specific_messages(fields, getattr(getattr(cls, "_meta", None), "model", None))
            left += [
                f"{cls.__name__}.{name}"
                for name, field in fields.items()
                if not field.widget.is_hidden and str(field.error_messages["required"]) == generic
            ]
    assert left == []


# --- files chosen before an error ---------------------------------------------------------------


def jpeg(name) -> SimpleUploadedFile:
    return photo(name, fmt="JPEG")


def test_files_sent_with_an_error_elsewhere_are_named_to_be_chosen_again(indonesian, village_operator, intake, media):
    indonesian.force_login(village_operator)
    files = {"photos": [jpeg("foto-1.jpg"), jpeg("foto-2.jpg")], "cost_breakdown": pdf("rab.pdf")}

    response = indonesian.post("/usulan/baru/", {**form_data(title=""), **files})

    page = response.content.decode()
    note = "Berkas tidak disimpan karena ada kesalahan lain; pilih lagi sebelum mengirim."
    chosen = '<div class="files-not-kept" id="id_{}_chosen">Anda memilih {}. {}</div>'
    assert chosen.format("photos", "foto-1.jpg, foto-2.jpg", note) in page
    assert chosen.format("cost_breakdown", "rab.pdf", note) in page
    assert 'aria-describedby="id_photos_helptext id_photos_chosen"' in page
    assert 'id="id_land_proof_chosen"' not in page  # nothing was chosen there
    assert (Proposal.objects.count(), Attachment.objects.count(), ProposalEvent.objects.count()) == (0, 0, 0)
    assert stored_files(media) == []


def test_a_file_with_an_error_of_its_own_gets_its_error_and_no_note(client, village_operator, intake):
    client.force_login(village_operator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    virus = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00" + bytes(300), "image/jpeg")

    response = client.post("/usulan/baru/", {**form_data(), "photos": [virus], "land_proof": pdf("tanah.pdf")})

    page = response.content.decode()
    assert "virus.jpg is not a JPEG, PNG or WebP photo." in page
    assert 'id="id_photos_chosen"' not in page
    assert "You chose tanah.pdf. It was not saved because of the other errors; choose it again before you send." in page
    assert f'value="{TITLE}"' in page


def test_a_letterhead_logo_sent_with_a_bad_address_is_named_and_not_kept(indonesian, bappeda_kabupaten, ladder):
    indonesian.force_login(bappeda_kabupaten)
    logo = photo("logo-desa.png")

    response = indonesian.post(
        f"/musyawarah/kop-surat/wilayah/{ladder['18.02.01'].pk}/", {"email": "bukan-surel", "logo": logo}
    )

    page = response.content.decode()
    assert "Anda memilih logo-desa.png. Berkas tidak disimpan karena ada kesalahan lain" in page
    assert not Office.objects.exists()


def test_a_minutes_scan_sent_for_no_document_is_named_and_not_kept(
    indonesian,
    desa,  # noqa: F811
    approved,  # noqa: F811
    village_operator,
):
    indonesian.force_login(village_operator)

    response = indonesian.post(
        f"/musyawarah/{desa.pk}/pindaian/minutes/unggah/",
        {"document": "0", "file": SimpleUploadedFile("ba-stempel.pdf", pdf_bytes())},
        follow=True,
    )

    shown = [str(m) for m in response.context["messages"]]
    assert shown == [
        "Pilih berita acara terbitan yang ditandatangani.",
        "Anda memilih ba-stempel.pdf. Berkas tidak disimpan karena ada kesalahan lain; pilih lagi sebelum mengirim.",
    ]
    assert ForumScan.objects.count() == 0
