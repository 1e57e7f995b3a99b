"""Issue 13 item 8, rounds, on any database: the constraints themselves, and the race paths (a check passed, then the
database refuses the write) walked one step at a time, so that each answers its Chinese refusal and never a 500.
The two-transaction versions of these races are in test_concurrency.py (PostgreSQL)."""

import importlib

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from rounds import services
from rounds.models import Membership, Phase, RecusalCheck, Team
from tests.factories import RecusalFactorFactory, UnitFactory

from .factories import MembershipFactory, PlanFactory, RoundFactory, TeamFactory, leader_cadre

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(jurisdiction):
    return TeamFactory(round=RoundFactory(plan=PlanFactory(jurisdiction=jurisdiction), phase=Phase.PREPARATION), name="第一巡察组")


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_team_has_one_active_leader_in_the_database(jurisdiction, team):
    MembershipFactory(team=team, cadre=leader_cadre(jurisdiction), position="leader")
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(team=team, cadre=leader_cadre(jurisdiction), position="leader")
    # Deputies are not limited, and a leader taken off the team (inactive) makes room for the next one.
    MembershipFactory(team=team, cadre=leader_cadre(jurisdiction), position="deputy")
    MembershipFactory(team=team, cadre=leader_cadre(jurisdiction), position="deputy")
    Membership.objects.filter(team=team, position="leader").update(is_active=False)
    MembershipFactory(team=team, cadre=leader_cadre(jurisdiction), position="leader")
    assert Membership.objects.filter(team=team, position="leader").count() == 2
    assert Membership.objects.filter(team=team, position="leader", is_active=True).count() == 1


def _pass_the_check_once(monkeypatch, name):
    """The race seen from the loser: its check ran before the winner committed, so it found nothing; the winner's
    row is already there when the loser writes."""
    original = getattr(services, name)
    calls = []

    def stale_check(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            return kwargs.get("cadre")
        return original(**kwargs)

    monkeypatch.setattr(services, name, stale_check)
    return calls


def test_team_created_twice_at_once_is_a_form_error(monkeypatch, office_client, team):
    _pass_the_check_once(monkeypatch, "_refuse_duplicate_team_name")
    response = office_client.post(reverse("rounds:team_create", args=[team.round_id]), {"name": "第一巡察组"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["本轮已有同名巡察组"]}
    assert list(Team.objects.filter(round=team.round).values_list("name", flat=True)) == ["第一巡察组"]


def test_team_created_twice_at_once_is_an_api_400(monkeypatch, office_user, team):
    _pass_the_check_once(monkeypatch, "_refuse_duplicate_team_name")
    response = api(office_user).post("/api/teams/", {"round": team.round_id, "name": "第一巡察组"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["本轮已有同名巡察组"]}
    assert Team.objects.filter(round=team.round).count() == 1


def test_team_renamed_to_a_name_taken_at_once_is_refused(monkeypatch, office_user, team):
    other = TeamFactory(round=team.round, name="第二巡察组")
    _pass_the_check_once(monkeypatch, "_refuse_duplicate_team_name")
    with pytest.raises(services.DomainError) as refused:
        services.team_rename(team=other, name="第一巡察组", actor=office_user)
    assert (refused.value.message, refused.value.field) == ("本轮已有同名巡察组", "name")
    other.refresh_from_db()
    assert other.name == "第二巡察组"


@pytest.fixture
def two_leader_conflicts(jurisdiction, office_user, team):
    """Two leader-pool cadres both conflicting with the team's unit: two refused checks waiting for an override."""
    unit = UnitFactory(jurisdiction=jurisdiction, name="清河县财政局")
    services.team_add_unit(team=team, unit=unit, actor=office_user)
    checks = []
    for name in ("张立军", "李卫东"):
        cadre = leader_cadre(jurisdiction, name=name)
        RecusalFactorFactory(cadre=cadre, unit=unit)
        with pytest.raises(services.RecusalConflict) as refused:
            services.team_add_member(team=team, cadre=cadre, position="leader", actor=office_user)
        checks.append(refused.value.checks[0])
    services.recusal_check_override(check=checks[0], actor=office_user, reason="经研究确需由张立军任组长")
    return checks


def test_override_that_lost_the_leader_race_is_a_form_error(monkeypatch, office_client, team, two_leader_conflicts):
    calls = _pass_the_check_once(monkeypatch, "_validate_member")
    late = two_leader_conflicts[1]
    response = office_client.post(reverse("rounds:recusal_check_override", args=[late.pk]), {"reason": "确需安排"})
    assert len(calls) == 2  # the stale check, then the rules run again after the database refused the insert
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["本组已有组长"]
    late.refresh_from_db()
    assert (late.result, late.override_reason, late.membership_id) == (RecusalCheck.Result.CONFLICT, "", None)
    assert list(Membership.objects.filter(team=team).values_list("cadre__name", flat=True)) == ["张立军"]


def test_override_that_lost_the_leader_race_is_an_api_400(monkeypatch, office_user, team, two_leader_conflicts):
    _pass_the_check_once(monkeypatch, "_validate_member")
    late = two_leader_conflicts[1]
    response = api(office_user).post(f"/api/recusal-checks/{late.pk}/override/", {"reason": "确需安排"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"position": ["本组已有组长"]}
    assert Membership.objects.filter(team=team, position="leader", is_active=True).count() == 1


def test_leader_added_after_losing_the_race_is_an_api_400(monkeypatch, jurisdiction, office_user, team):
    services.team_add_member(team=team, cadre=leader_cadre(jurisdiction, name="张立军"), position="leader", actor=office_user)
    _pass_the_check_once(monkeypatch, "_validate_member")
    late = leader_cadre(jurisdiction, name="李卫东")
    response = api(office_user).post(
        f"/api/teams/{team.pk}/members/", {"cadre": late.pk, "position": "leader"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"position": ["本组已有组长"]}
    assert not RecusalCheck.objects.filter(cadre=late).exists()  # the refused attempt rolled back whole


def test_duplicate_team_name_over_the_api_names_the_field(office_user, team):
    response = api(office_user).post("/api/teams/", {"round": team.round_id, "name": " 第一巡察组 "}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["本轮已有同名巡察组"]}


def test_the_constraint_migration_names_teams_that_already_have_two_leaders(jurisdiction, team):
    """Data left by the old race: the migration stops and says which teams the office must settle first."""
    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("rounds.migrations.0005_membership_one_leader_and_record_versions")
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute('DROP INDEX "membership_one_active_leader_per_team"')
    MembershipFactory(team=team, cadre=leader_cadre(jurisdiction), position="leader")
    migration.refuse_teams_with_two_leaders(apps, None)  # one leader: nothing to say
    MembershipFactory(team=team, cadre=leader_cadre(jurisdiction), position="leader")
    with pytest.raises(RuntimeError) as stopped:
        migration.refuse_teams_with_two_leaders(apps, None)
    assert str(stopped.value).endswith(f"team {team.pk} 第一巡察组 (round {team.round_id})")
