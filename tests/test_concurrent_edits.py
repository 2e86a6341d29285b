"""Two officers editing the same forum's details (and a proposal, a schedule, the ceilings):
the later save, made from the page as it was before the other's, is stopped with what was saved
meanwhile, keeps what was typed, and goes through when sent again knowingly
(musrenbang/concurrency.py, optimistic concurrency)."""

from __future__ import annotations

import re

from forums.models import Ceiling, Forum
from planning.models import StageWindow
from proposals import workflow
from regions.models import Level

from .factories import ProposalFactory
from .test_forum_pages import desa_forum, english, items, media  # noqa: F401  (fixtures)
from .test_intake import TITLE, form_data
from .test_schedule import NEXT_YEAR


def version_on(page) -> str:
    return re.search(r'name="version" value="((?:\d{4}:)?[0-9a-f]{16})"', page.content.decode()).group(1)


def details(**overrides) -> dict:
    data = {"held_on": "2026-02-03", "starts_at": "09:00", "place": "Balai Desa", "chair_name": "Suparno"}
    data.update(overrides)
    return data


def test_a_save_from_a_page_older_than_anothers_save_is_stopped_and_keeps_the_typing(
    english,  # noqa: F811
    desa_forum,  # noqa: F811
    village_operator,
):
    english.force_login(village_operator)
    url = f"/musyawarah/{desa_forum.pk}/ubah/"
    first_tab = version_on(english.get(url))
    second_tab = version_on(english.get(url))
    assert english.post(url, {**details(place="Aula Kantor Desa"), "version": second_tab}).status_code == 302

    stale = english.post(url, {**details(chair_name="Sri Wahyuni"), "version": first_tab})

    assert stale.status_code == 200
    page = " ".join(stale.content.decode().split())
    assert "Someone else saved these details while you were editing." in page
    assert "Place “Aula Kantor Desa”" in page
    assert 'value="Sri Wahyuni"' in page  # what was typed is kept
    forum = Forum.objects.get(pk=desa_forum.pk)
    assert (forum.place, forum.chair_name) == ("Aula Kantor Desa", "Suparno")

    # Sent again from that page, now knowing the other version: it goes through.
    again = english.post(url, {**details(chair_name="Sri Wahyuni"), "version": version_on(stale)})
    assert again.status_code == 302
    forum.refresh_from_db()
    assert (forum.place, forum.chair_name) == ("Balai Desa", "Sri Wahyuni")


def test_saves_one_after_another_from_fresh_pages_go_through(english, desa_forum, village_operator):  # noqa: F811
    english.force_login(village_operator)
    url = f"/musyawarah/{desa_forum.pk}/ubah/"
    for place in ("Balai Desa", "Aula Kantor Desa"):
        assert english.post(url, {**details(place=place), "version": version_on(english.get(url))}).status_code == 302
    assert Forum.objects.get(pk=desa_forum.pk).place == "Aula Kantor Desa"


# --- the same for a proposal, a year's schedule and the ceilings page --------------------------


def test_a_proposal_saved_from_an_older_tab_is_stopped_and_keeps_the_typing(english, village_operator, intake):  # noqa: F811
    draft = workflow.create_proposal(
        actor=village_operator,
        proposal=ProposalFactory.build(village=village_operator.region, created_by=village_operator, title=TITLE),
    )
    english.force_login(village_operator)
    url = f"/usulan/{draft.pk}/ubah/"
    first_tab, second_tab = version_on(english.get(url)), version_on(english.get(url))

    assert english.post(url, {**form_data(volume="450"), "version": second_tab}).status_code == 302
    stale = english.post(url, {**form_data(title="Rabat beton Dusun IV"), "version": first_tab})

    page = " ".join(stale.content.decode().split())
    assert stale.status_code == 200
    assert "Someone else saved these details while you were editing." in page and "Volume “450.00”" in page
    assert 'value="Rabat beton Dusun IV"' in page
    draft.refresh_from_db()
    assert (draft.title, draft.volume) == (TITLE, 450)

    assert (
        english.post(url, {**form_data(title="Rabat beton Dusun IV"), "version": version_on(stale)}).status_code == 302
    )
    draft.refresh_from_db()
    assert draft.title == "Rabat beton Dusun IV"


def schedule(opens: str, closes: str, version: str) -> dict:
    return {"year": NEXT_YEAR, f"opens_{Level.DESA}": opens, f"closes_{Level.DESA}": closes, "version": version}


def test_a_schedule_saved_from_an_older_page_is_stopped(english, bappeda_kabupaten, ladder):  # noqa: F811
    english.force_login(bappeda_kabupaten)
    url = f"/usulan/jadwal/?year={NEXT_YEAR}"
    first_tab, second_tab = version_on(english.get(url)), version_on(english.get(url))
    assert first_tab.startswith(f"{NEXT_YEAR}:")

    assert (
        english.post(url, schedule(f"{NEXT_YEAR - 1}-01-05", f"{NEXT_YEAR - 1}-01-20", second_tab)).status_code == 302
    )
    stale = english.post(url, schedule(f"{NEXT_YEAR - 1}-02-01", f"{NEXT_YEAR - 1}-02-10", first_tab))

    page = " ".join(stale.content.decode().split())
    assert stale.status_code == 200 and "Someone else saved these details while you were editing." in page
    window = StageWindow.objects.get(level=Level.DESA)
    assert (window.opens_on.day, window.opens_on.month) == (5, 1)
    assert english.post(url, schedule(f"{NEXT_YEAR - 1}-02-01", f"{NEXT_YEAR - 1}-02-10", version_on(stale)))
    assert StageWindow.objects.get(level=Level.DESA).opens_on.month == 2


def ceilings(year, versions: dict, **amounts) -> dict:
    data = {"year": str(year.year)}
    for kecamatan, amount in amounts.items():
        pk = versions[kecamatan][0]
        data |= {f"k{pk}-amount": amount, f"k{pk}-max_items": "", f"k{pk}-version": versions[kecamatan][1]}
    return data


def test_two_officers_saving_the_ceilings_keep_each_others_rows(english, bappeda_kabupaten, ladder, intake):  # noqa: F811
    english.force_login(bappeda_kabupaten)
    year = intake.planning_year
    kalirejo, other = ladder["18.02.01"], ladder["18.02.02"]
    page = english.get("/musyawarah/pagu/").content.decode()
    shown = {
        name: (region.pk, re.search(rf'name="k{region.pk}-version" value="([0-9a-f]+)"', page).group(1))
        for name, region in (("kalirejo", kalirejo), ("other", other))
    }

    # The first officer sets Kalirejo's ceiling; the second, from the same old page, sets the other's
    # and sends Kalirejo's row as it was shown: Kalirejo's new ceiling stands.
    assert (
        english.post("/musyawarah/pagu/", ceilings(year, shown, kalirejo="1.500.000.000", other="")).status_code == 302
    )
    assert english.post("/musyawarah/pagu/", ceilings(year, shown, kalirejo="", other="900.000.000")).status_code == 302
    assert dict(Ceiling.objects.values_list("region__code", "amount")) == {
        "18.02.01": 1_500_000_000,
        other.code: 900_000_000,
    }

    # Changing Kalirejo's row from that old page is stopped, and nothing of the page is saved.
    stale = english.post("/musyawarah/pagu/", ceilings(year, shown, kalirejo="700.000.000", other="900.000.000"))
    text = " ".join(stale.content.decode().split())
    assert stale.status_code == 200
    assert "Someone else saved these details while you were editing." in text
    assert "Indicative ceiling (Rp) “1,500,000,000”" in text
    assert Ceiling.objects.get(region=kalirejo).amount == 1_500_000_000
