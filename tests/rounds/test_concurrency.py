"""Issue 13 item 8, rounds: every lock and constraint claimed by `rounds.services`, tried with two real transactions.

Each test runs two sides in two threads (two connections) and forces the bad interleaving with `Race` (see
`tests/rounds/concurrency.py`): the first side holds, its transaction open, right after the check the race is about.
`race.second_was` says how the second side met it: "arrived" (it passed the same check: only a constraint can decide)
or "blocked" (a lock kept it waiting until the first committed). Outcomes are exact: who won, the loser's Chinese
message and field, and every row left behind.
"""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from inspection.accounts.models import Role
from inspection.core.exceptions import DomainError
from rounds import services
from rounds.models import Inquiry, Membership, Phase, RecusalCheck, Team
from tests.factories import RecusalFactorFactory, UnitFactory

from .concurrency import Race
from .factories import PetitionFactory, PlanFactory, RoundFactory, TeamFactory, leader_cadre, talent_cadre

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="两个并发事务须在 PostgreSQL 上验证"),
    # serialized_rollback: the flush after a transactional test would wipe the rows data migrations seeded (specialties)
    # for every later test; they are restored from the serialised copy, as the browser tests do.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def round_(jurisdiction):
    return RoundFactory(plan=PlanFactory(jurisdiction=jurisdiction), phase=Phase.PREPARATION)


def _refusal(side) -> tuple[str, str]:
    assert isinstance(side.error, DomainError), side.error
    return side.error.message, side.error.field


def test_two_leaders_added_at_once_leave_one_leader(monkeypatch, jurisdiction, office_user, round_):
    team = TeamFactory(round=round_, name="第一巡察组")
    zhang, li = leader_cadre(jurisdiction, name="张立军"), leader_cadre(jurisdiction, name="李卫东")
    race = Race()
    monkeypatch.setattr(services, "_validate_member", race.hold(services._validate_member))

    first, second = race.run(
        lambda: services.team_add_member(team=team, cadre=zhang, position="leader", actor=office_user),
        lambda: services.team_add_member(team=team, cadre=li, position="leader", actor=office_user),
    )

    assert race.second_was == "arrived"  # both passed "本组已有组长" before either wrote: the constraint decided
    assert first.error is None and first.result.cadre == zhang
    assert _refusal(second) == ("本组已有组长", "position")
    leaders = Membership.objects.filter(team=team, position="leader", is_active=True)
    assert list(leaders.values_list("cadre__name", flat=True)) == ["张立军"]
    assert Membership.objects.filter(team=team).count() == 1
    # The refused side rolled back whole: no check row of 李卫东 claims an assignment that was not made.
    assert list(RecusalCheck.objects.filter(team=team).values_list("cadre__name", "result")) == [("张立军", "passed")]


def test_one_cadre_put_on_two_teams_at_once_gets_one_place(monkeypatch, jurisdiction, office_user, round_):
    first_team = TeamFactory(round=round_, name="第一巡察组")
    second_team = TeamFactory(round=round_, name="第二巡察组")
    wang = talent_cadre(jurisdiction, name="王建国")
    race = Race()
    monkeypatch.setattr(services, "_validate_member", race.hold(services._validate_member))

    first, second = race.run(
        lambda: services.team_add_member(team=first_team, cadre=wang, position="member", actor=office_user),
        lambda: services.team_add_member(team=second_team, cadre=wang, position="member", actor=office_user),
    )

    assert race.second_was == "blocked"  # the second waited on the cadre's row lock until the first committed
    assert first.error is None and first.result.team == first_team
    assert _refusal(second) == (
        f"王建国已在{round_.title}第一巡察组任组员（2026-03-01至2026-04-30），与本次时间重叠", "cadre"
    )
    places = Membership.objects.filter(cadre=wang, is_active=True)
    assert list(places.values_list("team__name", flat=True)) == ["第一巡察组"]
    assert list(RecusalCheck.objects.filter(cadre=wang).values_list("team__name", flat=True)) == ["第一巡察组"]


def test_two_teams_created_with_one_name_at_once_make_one_team(monkeypatch, office_user, round_):
    race = Race()
    monkeypatch.setattr(services, "_refuse_duplicate_team_name", race.hold(services._refuse_duplicate_team_name))

    first, second = race.run(
        lambda: services.team_create(round=round_, name="第三巡察组", actor=office_user),
        lambda: services.team_create(round=round_, name="第三巡察组", actor=office_user),
    )

    assert race.second_was == "arrived"  # both found no team of that name: the unique constraint decided
    assert first.error is None and first.result.name == "第三巡察组"
    assert _refusal(second) == ("本轮已有同名巡察组", "name")
    assert list(Team.objects.filter(round=round_).values_list("pk", flat=True)) == [first.result.pk]


def _conflict_check(team, cadre, position, actor) -> RecusalCheck:
    with pytest.raises(services.RecusalConflict) as refused:
        services.team_add_member(team=team, cadre=cadre, position=position, actor=actor)
    return refused.value.checks[0]


def test_two_overrides_naming_two_leaders_at_once_make_one_assignment(
    monkeypatch, jurisdiction, office_user, make_user, round_
):
    team = TeamFactory(round=round_, name="第一巡察组")
    unit = UnitFactory(jurisdiction=jurisdiction, name="清河县财政局")
    services.team_add_unit(team=team, unit=unit, actor=office_user)
    zhang, li = leader_cadre(jurisdiction, name="张立军"), leader_cadre(jurisdiction, name="李卫东")
    for cadre in (zhang, li):
        RecusalFactorFactory(cadre=cadre, unit=unit)
    check_zhang = _conflict_check(team, zhang, "leader", office_user)
    check_li = _conflict_check(team, li, "leader", office_user)
    other_office = make_user(Role.OFFICE, username="xunchaban2")
    race = Race()
    monkeypatch.setattr(services, "_validate_member", race.hold(services._validate_member))

    first, second = race.run(
        lambda: services.recusal_check_override(check=check_zhang, actor=office_user, reason="经研究确需由张立军任组长"),
        lambda: services.recusal_check_override(check=check_li, actor=other_office, reason="经研究确需由李卫东任组长"),
    )

    assert race.second_was == "arrived"
    assert first.error is None and first.result.result == RecusalCheck.Result.OVERRIDDEN
    assert _refusal(second) == ("本组已有组长", "position")
    assert list(Membership.objects.filter(team=team).values_list("cadre__name", "position", "is_active")) == [
        ("张立军", "leader", True)
    ]
    check_zhang.refresh_from_db()
    check_li.refresh_from_db()
    assert check_zhang.membership.cadre == zhang and check_zhang.override_reason == "经研究确需由张立军任组长"
    # The refused override left its check as it was: still a conflict, no reason, no assignment.
    assert (check_li.result, check_li.override_reason, check_li.membership_id) == (RecusalCheck.Result.CONFLICT, "", None)


def test_two_overrides_placing_one_cadre_on_two_teams_at_once_make_one_assignment(
    monkeypatch, jurisdiction, office_user, make_user, round_
):
    first_team = TeamFactory(round=round_, name="第一巡察组")
    second_team = TeamFactory(round=round_, name="第二巡察组")
    finance = UnitFactory(jurisdiction=jurisdiction, name="清河县财政局")
    audit = UnitFactory(jurisdiction=jurisdiction, name="清河县审计局")
    services.team_add_unit(team=first_team, unit=finance, actor=office_user)
    services.team_add_unit(team=second_team, unit=audit, actor=office_user)
    wang = talent_cadre(jurisdiction, name="王建国")
    RecusalFactorFactory(cadre=wang, unit=finance)
    RecusalFactorFactory(cadre=wang, unit=audit)
    to_first = _conflict_check(first_team, wang, "member", office_user)
    to_second = _conflict_check(second_team, wang, "member", office_user)
    other_office = make_user(Role.OFFICE, username="xunchaban2")
    race = Race()
    monkeypatch.setattr(services, "_validate_member", race.hold(services._validate_member))

    first, second = race.run(
        lambda: services.recusal_check_override(check=to_first, actor=office_user, reason="财务专业人员不足，确需安排"),
        lambda: services.recusal_check_override(check=to_second, actor=other_office, reason="审计专业人员不足，确需安排"),
    )

    assert race.second_was == "blocked"
    assert first.error is None
    assert _refusal(second) == (
        f"王建国已在{round_.title}第一巡察组任组员（2026-03-01至2026-04-30），与本次时间重叠", "cadre"
    )
    assert list(Membership.objects.filter(cadre=wang).values_list("team__name", "is_active")) == [("第一巡察组", True)]
    to_second.refresh_from_db()
    assert (to_second.result, to_second.membership_id) == (RecusalCheck.Result.CONFLICT, None)


@pytest.fixture
def onsite_team(jurisdiction, office_user, make_user):
    round = RoundFactory(plan=PlanFactory(jurisdiction=jurisdiction), phase=Phase.ONSITE)
    team = TeamFactory(round=round, name="第一巡察组")
    unit = UnitFactory(jurisdiction=jurisdiction, name="清河县财政局")
    services.team_add_unit(team=team, unit=unit, actor=office_user)
    leader = make_user(Role.TEAM_LEADER, username="zuzhang")
    Membership.objects.create(
        team=team, cadre=leader_cadre(jurisdiction, user=leader), position="leader",
        start_date=round.start_date, end_date=round.end_date,
    )
    return {"round": round, "team": team, "unit": unit, "leader": leader, "office": office_user}


def test_two_edits_of_one_petition_one_wins_the_other_keeps_its_input(monkeypatch, client, onsite_team):
    petition = PetitionFactory(team=onsite_team["team"], unit=onsite_team["unit"], created_by=onsite_team["leader"])
    assert petition.version == 1
    url = reverse("rounds:record_edit", args=["petition", petition.pk])
    base = {
        "team": onsite_team["team"].pk, "unit": onsite_team["unit"].pk, "channel": "letter", "received_on": "2026-03-10",
        "is_anonymous": "on", "summary": petition.summary, "conclusion": "pending", "version": "1",
    }
    office_edit = {**base, "handling": "巡察办：已转请该单位说明情况。"}
    leader_edit = {**base, "handling": "组长：已约谈信访人核实。", "subject_person": "王某某"}
    race = Race()
    monkeypatch.setattr(services, "_save", race.hold(services._save))

    def post_as(user, data):
        def work():
            from django.test import Client

            browser = Client()
            browser.force_login(user)
            return browser.post(url, data)

        return work

    first, second = race.run(post_as(onsite_team["office"], office_edit), post_as(onsite_team["leader"], leader_edit))

    assert race.second_was == "blocked"  # the second's UPDATE ... WHERE version = 1 waited for the first's commit
    assert first.error is None and second.error is None
    assert first.result.status_code == 302
    page = second.result
    assert page.status_code == 200
    assert page.context["form"].errors["version"] == ["已被他人修改，请刷新后重试"]
    html = page.content.decode()
    assert "已被他人修改，请刷新后重试" in html
    # Nothing of the leader's input is lost: the form shows it again, and lists what the office saved instead.
    assert "组长：已约谈信访人核实。</textarea>" in html and 'value="王某某"' in html
    assert page.context["stale_rows"] == [("被反映人", "（空）"), ("办理情况", "巡察办：已转请该单位说明情况。")]
    assert 'name="version" value="2"' in html
    petition.refresh_from_db()
    assert (petition.version, petition.handling, petition.subject_person) == (2, "巡察办：已转请该单位说明情况。", "")
    assert petition.history.count() == 2  # created, then the office's edit; the refused edit left no history row


def test_two_api_edits_of_one_inquiry_one_wins_the_other_gets_400(monkeypatch, onsite_team):
    inquiry = services.inquiry_save(
        inquiry=Inquiry(
            round=onsite_team["round"], team=onsite_team["team"], asker_name="孙某", asker_post="县某局副局长",
            asked_person="第一巡察组组长", asked_on=datetime.date(2026, 3, 12), manner="probing",
            subject="打听第一巡察组对该局财务问题的掌握情况",
        ),
        actor=onsite_team["leader"],
    )
    url = f"/api/inquiries/{inquiry.pk}/"
    race = Race()
    monkeypatch.setattr(services, "_save", race.hold(services._save))

    def patch_as(user, data):
        def work():
            client = APIClient()
            client.force_authenticate(user)
            return client.patch(url, data, format="json")

        return work

    first, second = race.run(
        patch_as(onsite_team["leader"], {"version": 1, "handling": "已如实登记并报巡察工作领导小组。"}),
        patch_as(onsite_team["office"], {"version": 1, "handling": "巡察办已知悉。"}),
    )

    assert race.second_was == "blocked"
    assert first.result.status_code == 200 and first.result.json()["version"] == 2
    assert second.result.status_code == 400
    assert second.result.json() == {"version": ["已被他人修改，请刷新后重试"]}
    inquiry.refresh_from_db()
    assert (inquiry.version, inquiry.handling) == (2, "已如实登记并报巡察工作领导小组。")

