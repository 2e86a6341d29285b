"""Shared fixtures: a small slice of the real ladder and one persona per role.

The ladder: Lampung (18) > Lampung Tengah (18.02) > Kalirejo (18.02.01) with the villages
Kalirejo (18.02.01.2003) and Sri Way Langsep (18.02.01.2001), and the neighbouring kecamatan
Bangun Rejo (18.02.02) with Purwodadi (18.02.02.2001); the neighbouring kabupaten Lampung
Selatan (18.01) with Natar (18.01.01) and Merak Batin (18.01.01.2001); and another province,
Bengkulu (17), for a wholly outside officer.
"""

import datetime

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from accounts.models import CouncilSeat, Role
from regions.models import Region, kind_of, level_of

from .factories import AgencyFactory, UserFactory, open_intake

LADDER = [
    ("17", "Bengkulu"),
    ("17.01", "Kabupaten Bengkulu Selatan"),
    ("17.01.01", "Kedurang"),
    ("17.01.01.2001", "Lawang Agung"),
    ("18", "Lampung"),
    ("18.01", "Kabupaten Lampung Selatan"),
    ("18.01.01", "Natar"),
    ("18.01.01.2001", "Merak Batin"),
    ("18.02", "Kabupaten Lampung Tengah"),
    ("18.02.01", "Kalirejo"),
    ("18.02.01.2001", "Sri Way Langsep"),
    ("18.02.01.2003", "Kalirejo"),
    ("18.02.02", "Bangun Rejo"),
    ("18.02.02.2001", "Purwodadi"),
]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The real hasher costs most of a second per persona; the tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    # A task enqueued by a test runs at once, inside the call that enqueued it, so a test sees
    # its result (the rendered minutes, the finished export) without a worker. The queue itself,
    # with the database backend and a real `db_worker` process, is tested in test_worker.py.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def default_language():
    # The locale middleware leaves a request's language active in the thread afterwards, so a
    # message read outside a request would depend on which test ran before. Each test starts in
    # the site's default language instead.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_content_types():
    # Every audit log entry names its object's kind by a ContentType id, which Django caches per
    # process. A transactional test with serialized_rollback leaves every table empty behind it,
    # django_content_type included, and a test after it creates the content types again inside its
    # own transaction, which rolls them back: a cached id would then name a row that is gone, and
    # the next audited change would fail on the entry's foreign key.
    ContentType.objects.clear_cache()


@pytest.fixture
def ladder(db):
    regions = {}
    for code, name in LADDER:
        parent = regions.get(code.rsplit(".", 1)[0]) if "." in code else None
        regions[code] = Region.objects.create(
            code=code, name=name, level=level_of(code), kind=kind_of(code), parent=parent
        )
    return regions


@pytest.fixture
def village(ladder):
    return ladder["18.02.01.2003"]


@pytest.fixture
def intake(ladder):
    """The desa intake window of next year's plan, open today for all of Lampung Tengah.

    It opened on 1 January 2016, so that the village forums tests hold on fixed dates (which the
    minutes print in words) fall inside it: a forum meets inside its stage's window
    (tests/test_forum_window.py).
    """
    return open_intake(ladder["18.02"], days_before=(timezone.localdate() - datetime.date(2016, 1, 1)).days)


@pytest.fixture
def pupr(ladder):
    return AgencyFactory(
        region=ladder["18.02"], code="1.03.01", name="Dinas Pekerjaan Umum dan Penataan Ruang", short_name="Dinas PUPR"
    )


@pytest.fixture
def dinkes(ladder):
    return AgencyFactory(region=ladder["18.02"], code="1.02.01", name="Dinas Kesehatan", short_name="Dinkes")


def _persona(username, role, region=None, agency=None):
    return UserFactory(
        username=username, role=role, region=region or (agency.region if agency else None), agency=agency
    )


@pytest.fixture
def village_operator(ladder):
    return _persona("desa.kalirejo", Role.VILLAGE_OPERATOR, ladder["18.02.01.2003"])


@pytest.fixture
def neighbour_village_operator(ladder):
    return _persona("desa.srilangsep", Role.VILLAGE_OPERATOR, ladder["18.02.01.2001"])


@pytest.fixture
def kecamatan_operator(ladder):
    return _persona("kec.kalirejo", Role.KECAMATAN_OPERATOR, ladder["18.02.01"])


@pytest.fixture
def other_kecamatan_operator(ladder):
    return _persona("kec.bangunrejo", Role.KECAMATAN_OPERATOR, ladder["18.02.02"])


@pytest.fixture
def agency_officer(pupr):
    return _persona("opd.pupr", Role.AGENCY_OFFICER, agency=pupr)


@pytest.fixture
def other_agency_officer(dinkes):
    return _persona("opd.dinkes", Role.AGENCY_OFFICER, agency=dinkes)


@pytest.fixture
def bappeda_kabupaten(ladder):
    return _persona("bappeda.lamteng", Role.BAPPEDA_KABUPATEN, ladder["18.02"])


@pytest.fixture
def other_bappeda_kabupaten(ladder):
    return _persona("bappeda.lamsel", Role.BAPPEDA_KABUPATEN, ladder["18.01"])


@pytest.fixture
def bappeda_provinsi(ladder):
    return _persona("bappeda.lampung", Role.BAPPEDA_PROVINSI, ladder["18"])


@pytest.fixture
def other_bappeda_provinsi(ladder):
    return _persona("bappeda.bengkulu", Role.BAPPEDA_PROVINSI, ladder["17"])


def _member(username, region, dapil):
    member = _persona(username, Role.DPRD_MEMBER, region)
    CouncilSeat.objects.create(user=member, dapil=dapil, faction="Fraksi Gotong Royong")
    return member


@pytest.fixture
def dprd_member(ladder):
    return _member("dprd.lamteng", ladder["18.02"], "Dapil 3 Lampung Tengah")


@pytest.fixture
def other_dprd_member(ladder):
    return _member("dprd.lamteng2", ladder["18.02"], "Dapil 1 Lampung Tengah")


@pytest.fixture
def dprd_secretariat(ladder):
    return _persona("setwan.lamteng", Role.DPRD_SECRETARIAT, ladder["18.02"])


@pytest.fixture
def other_dprd_secretariat(ladder):
    return _persona("setwan.lamsel", Role.DPRD_SECRETARIAT, ladder["18.01"])


@pytest.fixture
def admin_user(ladder):
    return UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
