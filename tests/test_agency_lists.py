"""Agencies' lists: Bappeda filters by the agency that carries an item; an agency's own list holds
what it carries now, and what it handed to another agency leaves it (findable, read-only)."""

import pytest

from .factories import AgencyFactory, ProposalFactory
from .test_lists import listed_titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def items(ladder, pupr, dinkes):
    village = ladder["18.02.01.2001"]
    return {
        "pupr": ProposalFactory(
            submitted=True, village=village, title="Jalan PUPR", target_agency=pupr, current_agency=pupr
        ),
        "handed": ProposalFactory(
            submitted=True, village=village, title="Posyandu diserahkan", target_agency=pupr, current_agency=dinkes
        ),
        "dinkes": ProposalFactory(
            submitted=True, village=village, title="Puskesmas", target_agency=dinkes, current_agency=dinkes
        ),
        "none": ProposalFactory(submitted=True, village=village, title="Tanpa perangkat"),
    }


def test_an_agencys_list_holds_what_it_carries_and_what_it_handed_over_leaves_it(english, agency_officer, items):
    english.force_login(agency_officer)

    own = english.get("/usulan/")
    handed = english.get("/usulan/?diserahkan=ya")

    assert listed_titles(own) == ["Jalan PUPR"]
    assert listed_titles(handed) == ["Posyandu diserahkan"]
    assert "Items we handed to another agency" in own.content.decode()
    # The trace stays readable: the item's page still opens for the agency that handed it over.
    assert english.get(items["handed"].get_absolute_url()).status_code == 200


def test_the_agency_that_received_an_item_lists_it(english, other_agency_officer, items):
    english.force_login(other_agency_officer)

    assert sorted(listed_titles(english.get("/usulan/"))) == ["Posyandu diserahkan", "Puskesmas"]
    assert listed_titles(english.get("/usulan/?diserahkan=ya")) == []


def test_bappeda_filters_its_list_by_the_agency_that_carries_each_item(english, bappeda_kabupaten, items, pupr, dinkes):
    english.force_login(bappeda_kabupaten)

    page = english.get("/usulan/").content.decode()
    by_dinkes = english.get(f"/usulan/?perangkat={dinkes.pk}")
    by_pupr = english.get(f"/usulan/?perangkat={pupr.pk}")

    assert '<select name="perangkat"' in page and "Dinkes" in page and "Dinas PUPR" in page
    assert sorted(listed_titles(by_dinkes)) == ["Posyandu diserahkan", "Puskesmas"]
    assert listed_titles(by_pupr) == ["Jalan PUPR"]


def test_the_agency_filter_offers_only_the_agencies_in_view(english, bappeda_kabupaten, admin_user, ladder, items):
    lamsel = AgencyFactory(
        region=ladder["18.01"], code="1.03.01", name="Dinas PU Lampung Selatan", short_name="PU Lamsel"
    )
    english.force_login(bappeda_kabupaten)
    kabupaten = english.get("/usulan/")
    refused = english.get(f"/usulan/?perangkat={lamsel.pk}")
    english.force_login(admin_user)
    national = english.get("/usulan/").content.decode()
    drilled = english.get("/usulan/?wilayah=18.01").content.decode()

    assert "PU Lamsel" not in kabupaten.content.decode()
    assert "Select a valid choice" in refused.content.decode() and listed_titles(refused) == []
    assert 'name="perangkat"' not in national  # the whole country's thousands: pick a region first
    assert "PU Lamsel" in drilled and "Dinas PUPR" not in drilled
