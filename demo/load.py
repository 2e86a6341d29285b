"""The demo data `make run` loads: Lampung, a planning cycle with the desa window open, one
account per role, ranking criteria, kecamatan ceilings and regional priorities for Lampung
Tengah, and a dozen proposals in villages of Lampung Tengah (submitted ones wait in their
village's forum; the kecamatan forum already held has placed its items under the priorities),
and the season Bappeda planned ahead: every forum of Lampung Tengah, the kecamatan forums dated
inside their window, each visited by one of four monitoring teams.

Every step looks up what already exists first, so running it again adds nothing.
Everything is entered through the apps' own workflows, as the officers would: proposals are
entered and submitted by village operators, forums held and approved by their officers. It sits
above every app because it uses all of them.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from pypdf import PdfWriter

from accounts.models import CouncilSeat, Role, User
from catalogue import workflow as catalogue_workflow
from catalogue.models import CatalogueItem
from forums import workflow as forums_workflow
from forums.models import Ceiling, Criterion, Decision, Forum, ForumStatus, MonitoringTeam
from planning import workflow as planning_workflow
from planning.figures import parse_figure
from planning.models import Indicator, PlanningYear, RegionalPriority, Sector, StageWindow
from pokir import workflow as pokir_workflow
from pokir.models import Recess
from proposals import workflow as intake
from proposals.models import Proposal, ProposalEvent
from proposals.workflow import NewFile
from regions.models import Agency, Level, Region

from . import last_season
from .data import (
    ACCOUNTS,
    AGENCIES,
    CATALOGUE,
    CEILINGS,
    CLASSIFIED,
    COUNCIL_SEATS,
    CRITERIA,
    HELD,
    INDICATOR_SOURCE,
    INDICATORS,
    KABUPATEN,
    KECAMATAN_PEOPLE,
    PASSWORD,
    PEOPLE,
    PRIORITIES,
    PROPOSALS,
    SEASON_DAYS,
    TEAMS,
)
from .entries import attend, village_proposal


def load(stdout=None) -> dict:
    """Load everything; returns the accounts so the command can print them."""
    if not Region.objects.filter(code__startswith="18.").exists():
        call_command("import_regions", province="18", stdout=stdout)
    with transaction.atomic():
        agencies = _agencies()
        users = _accounts(agencies)
        last_season.load(users, agencies)  # before next year's intake window opens (its docstring says why)
        year = _planning_year()
        _ranking_rules(users["bappeda.lamteng"], year)
        priorities = _priorities(users["bappeda.lamteng"], year)
        _indicators(users["bappeda.lamteng"], priorities)
        _catalogue(users["bappeda.lamteng"], year)
        _proposals(users, year)
        _pokir(users["dprd.lamteng"], agencies)
        _analyze()
        _forums(users, year, priorities)
        _season(users["bappeda.lamteng"], year)
    return users


def _analyze() -> None:
    """Fresh planner statistics for the tables just filled, before the forums approve over them.

    A database whose tables were last analyzed empty plans the approval's locking query (the
    proposals with their region joins) as nested sequential scans: on a loaded 2-core machine one
    such query ran for an hour. ANALYZE inside the transaction sees its own new rows.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Proposal, ProposalEvent, Decision, Forum, Region):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def _agencies() -> dict[str, Agency]:
    kabupaten = Region.objects.get(code=KABUPATEN)
    return {
        code: Agency.objects.get_or_create(region=kabupaten, code=code, defaults={"name": name, "short_name": short})[0]
        for code, name, short, _sector in AGENCIES
    }


def _planning_year() -> PlanningYear:
    """Next year's plan, prepared now: the desa window open around today, the others after it."""
    today = timezone.localdate()
    year, _created = PlanningYear.objects.get_or_create(year=today.year + 1)
    kabupaten = Region.objects.get(code=KABUPATEN)
    schedule = [
        (Level.DESA, kabupaten, -14, 60),
        (Level.KECAMATAN, kabupaten, 61, 90),
        (Level.KABUPATEN, kabupaten, 91, 130),
        (Level.PROVINSI, kabupaten.parent, 131, 160),
    ]
    for level, region, start, end in schedule:
        StageWindow.objects.get_or_create(
            planning_year=year,
            level=level,
            region=region,
            defaults={
                "opens_on": today + datetime.timedelta(days=start),
                "closes_on": today + datetime.timedelta(days=end),
            },
        )
    return year


def _season(bappeda, year) -> None:
    """Bappeda plans its season: every forum of Lampung Tengah created ahead, four monitoring teams,
    and each kecamatan forum not yet held dated in the first days of its window, a team each."""
    kabupaten = bappeda.region
    forums_workflow.plan_season(actor=bappeda, planning_year=year, region=kabupaten)
    existing = {t.name: t for t in MonitoringTeam.objects.filter(planning_year=year, region=kabupaten)}
    teams = [
        existing.get(name)
        or forums_workflow.save_team(
            actor=bappeda, planning_year=year, name=name, leader=leader, members="\n".join(members)
        )
        for name, leader, members in TEAMS
    ]
    window = StageWindow.objects.applying(kabupaten, Level.KECAMATAN, year)
    kecamatans = list(
        Forum.objects.filter(planning_year=year, kind="musrenbang", level=Level.KECAMATAN, region__parent=kabupaten)
        .select_related("region")
        .order_by("region__code")
    )
    for i, forum in enumerate(kecamatans):
        plan = {} if forum.team_id else {"team": teams[i % len(teams)]}
        if window and forum.held_on is None and forum.status != ForumStatus.APPROVED:
            plan["held_on"] = window.opens_on + datetime.timedelta(days=i * SEASON_DAYS // len(kecamatans))
            plan["place"] = f"Aula Kantor Camat {forum.region.name}"
        if plan:
            forums_workflow.plan_forum(actor=bappeda, forum=forum, **plan)


def _ranking_rules(bappeda, year) -> None:
    if not Criterion.objects.filter(planning_year=year, region=bappeda.region).exists():
        forums_workflow.set_criteria(actor=bappeda, planning_year=year, criteria=CRITERIA)
    for code, (amount, max_items) in CEILINGS.items():
        kecamatan = Region.objects.get(code=code)
        if not Ceiling.objects.filter(planning_year=year, region=kecamatan).exists():
            forums_workflow.set_ceiling(
                actor=bappeda, planning_year=year, kecamatan=kecamatan, amount=amount, max_items=max_items
            )


def _priorities(bappeda, year) -> list[RegionalPriority]:
    existing = {p.name: p for p in RegionalPriority.objects.filter(planning_year=year, region=bappeda.region)}
    return [
        existing.get(name)
        or planning_workflow.add_priority(actor=bappeda, planning_year=year, name=name, target=target)
        for name, target in PRIORITIES
    ]


def _indicators(bappeda, priorities) -> None:
    for index, name, unit, baseline, since, target, by, direction, source, realisations in INDICATORS:
        priority = priorities[index]
        indicator = Indicator.objects.filter(priority=priority, name=name).first()
        if indicator is None:
            (low, high, places), (goal, goal_high, goal_places) = parse_figure(baseline), parse_figure(target)
            indicator = planning_workflow.add_indicator(
                actor=bappeda,
                priority=priority,
                name=name,
                unit=unit,
                baseline=low,
                baseline_high=high,
                baseline_year=since,
                target=goal,
                target_high=goal_high,
                target_year=by,
                direction=direction,
                source=source,
                source_detail=INDICATOR_SOURCE,
                decimals=max(places, goal_places),
            )
        for year, value in realisations:
            if not indicator.values.filter(year=year).exists():
                planning_workflow.record_realisation(
                    actor=bappeda, indicator=indicator, year=year, value=parse_figure(value)[0], note="Contoh"
                )


def _catalogue(bappeda, year) -> None:
    """The kabupaten's kamus usulan, through the catalogue's own door; a second run adds nothing."""
    agencies = {a.code: a for a in Agency.objects.filter(region=bappeda.region)}
    sectors = {s.code: s for s in Sector.objects.all()}
    kept = set(CatalogueItem.objects.of(bappeda.region, year).values_list("name", flat=True))
    for name, definition, unit, price, source, agency, sector, physical, code in CATALOGUE:
        if name not in kept:
            item = CatalogueItem(
                kabupaten=bappeda.region, planning_year=year, name=name, definition=definition, unit=unit,
                unit_price=price, price_source=source, agency=agencies[agency], sector=sectors[sector],
                physical=physical, sub_activity_code=code,
            )  # fmt: skip
            catalogue_workflow.save_item(actor=bappeda, item=item)


def _accounts(agencies) -> dict[str, User]:
    users = {}
    for username, first, last, role, where in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, role=role)
            if role == Role.AGENCY_OFFICER:
                user.agency = agencies[where]
                user.region = user.agency.region
            elif where:
                user.region = Region.objects.get(code=where)
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.set_password(PASSWORD)
            user.full_clean()
            user.save()
        if username in COUNCIL_SEATS:
            dapil, faction = COUNCIL_SEATS[username]
            CouncilSeat.objects.get_or_create(user=user, defaults={"dapil": dapil, "faction": faction})
        users[username] = user
    return users


def _proposals(users, year) -> None:
    sectors = {s.code: s for s in Sector.objects.all()}
    agencies = {a.code: a for a in Agency.objects.filter(region__code=KABUPATEN)}
    for username, title, problem, work, sector, agency, volume, unit, cost, who, count, submit in PROPOSALS:
        actor = users[username]
        if Proposal.objects.filter(village=actor.region, title=title).exists():
            continue
        proposal = village_proposal(
            actor,
            title=title,
            problem=problem,
            proposed_work=work,
            sector=sectors[sector],
            work_kind="fisik" if sector in ("1.03", "1.04", "2.11", "1.01") else "nonfisik",
            target_agency=agencies[agency],
            rt="005",
            rw="002",
            volume=Decimal(volume),
            unit=unit,
            estimated_cost=cost,
            beneficiaries=who,
            beneficiary_count=count,
            land_status_clear=sector in ("1.03", "1.01"),
        )
        if submit:
            intake.submit_proposal(actor=actor, proposal=proposal)


def _pokir(member, agencies) -> None:
    """One pokok-pikiran of the demo DPRD member, sent to the Setwan: setwan.lamteng verifies it."""
    title = "Pengaspalan jalan poros Kalirejo - Sinar Sari"
    if Proposal.objects.filter(created_by=member, title=title).exists():
        return
    writer, evidence = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(evidence)
    proposal = pokir_workflow.enter_item(
        actor=member,
        proposal=Proposal(
            title=title,
            problem="Jalan poros antardesa rusak berat sepanjang 2 km; disampaikan warga pada reses.",
            proposed_work="Pengaspalan lapen lebar 4 m sepanjang 2 km.",
            sector=Sector.objects.get(code="1.03"),
            work_kind="fisik",
            target_agency=agencies["1.03.01"],
            village=Region.objects.get(code="18.02.01.2003"),
            address="Jalan poros Kalirejo",
            volume=Decimal("2000"),
            unit="meter",
            estimated_cost=1_200_000_000,
            beneficiaries="Warga Kalirejo dan sekitarnya",
            beneficiary_count=3500,
        ),
        recess=Recess(held_on=timezone.localdate(), place="Balai Desa Kalirejo", attendee_count=85),
        new_files=[NewFile("reses", SimpleUploadedFile("notulen-reses.pdf", evidence.getvalue()), "application/pdf")],
    )
    pokir_workflow.submit_item(actor=member, proposal=proposal)


OUTSIDE_WINDOW_REASON = (
    "Data peragaan: musrenbang kecamatan ini dicontohkan sebelum jadwal tahapannya agar seluruh alur dapat dicoba."
)


def _forums(users, year, priorities) -> None:
    for username, place, (chair, title), decided in HELD:
        actor = users[username]
        forum = Forum.objects.filter(planning_year=year, kind="musrenbang", region=actor.region).first()
        if forum is None or forum.status == ForumStatus.APPROVED:
            continue
        held_on = timezone.localdate() - datetime.timedelta(days=3 if forum.level == Level.DESA else 1)
        # The village window is open today so that a visitor can enter proposals; the kecamatan window
        # follows it (the schedule keeps the ladder in order), so the kecamatan forum the demo shows
        # already held meets before its window and says why, as a real one would have to.
        outside = "" if forum.level == Level.DESA else OUTSIDE_WINDOW_REASON
        forums_workflow.update_forum(
            actor=actor,
            forum=forum,
            held_on=held_on,
            outside_window_reason=outside,
            starts_at=datetime.time(9, 0),
            place=place,
            chair_name=chair,
            chair_title=title,
        )
        people = PEOPLE if forum.level == Level.DESA else KECAMATAN_PEOPLE
        attend(actor, forum, people, contact=actor.region.display_name)
        for name, gender, institution, _element in people[:3]:
            forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender, institution=institution)
        for decision in forum.decisions.select_related("proposal"):
            outcome, reason = decided[decision.proposal.title]
            forums_workflow.decide(actor=actor, decision=decision, outcome=outcome, reason=reason)
            if forum.level != Level.DESA and decision.proposal.title in CLASSIFIED:
                priority, program, activity, sub_activity, target, spending = CLASSIFIED[decision.proposal.title]
                forums_workflow.classify(
                    actor=actor,
                    decision=decision,
                    regional_priority=priorities[priority],
                    program=program,
                    activity=activity,
                    sub_activity=sub_activity,
                    activity_target=target,
                    spending_type=spending,
                )
        forums_workflow.approve_forum(actor=actor, forum=forum)
