"""Two officers editing the same forum's details: the later save, made from the page as it was
before the other's, is stopped with what was saved meanwhile, keeps what was typed, and goes
through when sent again knowingly (forums/forms/meeting.py, optimistic concurrency)."""

from __future__ import annotations

import re

from forums.models import Forum

from .test_forum_pages import desa_forum, english, items, media  # noqa: F401  (fixtures)


def version_on(page) -> str:
    return re.search(r'name="version" value="([0-9a-f]{16})"', page.content.decode()).group(1)


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
