"""Issue 13 item 5: with an older refused attempt on file, overriding the latest conflict of a unit assignment
makes the assignment, an older (superseded) check cannot be overridden, and the page reports what actually
happened, never "安排已生效" for an assignment that was not made."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from inspection.core.exceptions import DomainError
from rounds import services
from rounds.models import RecusalCheck, TeamUnit
from tests.factories import RecusalFactorFactory, UnitFactory

from .factories import PlanFactory, RoundFactory, TeamFactory, talent_cadre

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(jurisdiction, office_user):
    team = TeamFactory(round=RoundFactory(plan=PlanFactory(jurisdiction=jurisdiction)), name="第一巡察组")
    first = talent_cadre(jurisdiction, name="王志强")
    second = talent_cadre(jurisdiction, name="李红梅")
    for cadre in (first, second):
        services.team_add_member(team=team, cadre=cadre, position="member", actor=office_user)
    unit = UnitFactory(jurisdiction=jurisdiction, name="清河县交通运输局")
    RecusalFactorFactory(cadre=first, unit=unit)
    return team, unit, first, second


def _refused_attempt(team, unit, office_user):
    with pytest.raises(services.RecusalConflict) as info:
        services.team_add_unit(team=team, unit=unit, actor=office_user)
    return info.value.checks


def test_overriding_the_latest_conflict_assigns_despite_an_older_refused_attempt(setting, office_user):
    team, unit, first, _ = setting
    [older] = _refused_attempt(team, unit, office_user)
    [latest] = _refused_attempt(team, unit, office_user)
    assert older.pk != latest.pk
    services.recusal_check_override(check=latest, actor=office_user, reason="仅曾短期借调，经研究可不回避")
    assert list(TeamUnit.objects.filter(unit=unit).values_list("team_id", flat=True)) == [team.pk]
    assert RecusalCheck.objects.get(pk=older.pk).result == RecusalCheck.Result.CONFLICT  # history kept as it was


def test_a_superseded_check_cannot_be_overridden(setting, office_user):
    team, unit, _, _ = setting
    [older] = _refused_attempt(team, unit, office_user)
    _refused_attempt(team, unit, office_user)
    with pytest.raises(DomainError) as refused:
        services.recusal_check_override(check=older, actor=office_user, reason="同意")
    assert refused.value.message == "该次检查之后已重新检查：请对最近一次检查书面说明理由"
    assert not TeamUnit.objects.filter(unit=unit).exists()
    assert RecusalCheck.objects.get(pk=older.pk).result == RecusalCheck.Result.CONFLICT


def _override_page(client, check):
    response = client.post(reverse("rounds:recusal_check_override", args=[check.pk]), {"reason": "经研究可不回避"})
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]  # the message of this request


def test_the_page_says_the_unit_was_assigned_only_when_it_was(setting, office_user, office_client, jurisdiction):
    team, unit, first, second = setting
    _refused_attempt(team, unit, office_user)
    RecusalFactorFactory(cadre=second, unit=unit)
    checks = _refused_attempt(team, unit, office_user)
    by_cadre = {c.cadre_id: c for c in checks}
    assert set(by_cadre) == {first.pk, second.pk}
    assert _override_page(office_client, by_cadre[first.pk]) == [
        "已书面说明理由；本组还有 1 名成员与清河县交通运输局存在回避冲突尚未书面说明，清河县交通运输局暂未安排"
    ]
    assert not TeamUnit.objects.filter(unit=unit).exists()
    assert _override_page(office_client, by_cadre[second.pk]) == ["已书面说明理由，清河县交通运输局已安排由第一巡察组巡察"]
    assert list(TeamUnit.objects.filter(unit=unit).values_list("team_id", flat=True)) == [team.pk]


def test_the_page_reports_a_member_override_as_in_force(setting, office_user, office_client, jurisdiction):
    team, unit, _, _ = setting
    services.team_add_unit(team=team, unit=UnitFactory(jurisdiction=jurisdiction), actor=office_user)
    cadre = talent_cadre(jurisdiction, name="赵建华")
    RecusalFactorFactory(cadre=cadre, unit=team.team_units.get().unit)
    with pytest.raises(services.RecusalConflict) as info:
        services.team_add_member(team=team, cadre=cadre, position="member", actor=office_user)
    assert _override_page(office_client, info.value.checks[0]) == ["已书面说明理由，赵建华的安排已生效"]
    assert team.memberships.filter(cadre=cadre, is_active=True).exists()
