"""Issue 16: a notice at every handoff of a finding's review, to exactly the people whose turn it is."""

import pytest
from django.core import mail

from findings import services
from inspection.accounts.models import Notification, Role
from inspection.core.exceptions import DomainError
from rounds.models import Membership, Petition
from tests.factories import UserFactory

from .factories import FindingFactory, TeamFactory, TeamUnitFactory, join_team, team_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(jurisdiction, other_jurisdiction, make_user):
    team_unit = TeamUnitFactory(team__round__jurisdiction=jurisdiction, team__round__plan__jurisdiction=jurisdiction)
    team = team_unit.team
    leader = team_user(team, Role.TEAM_LEADER, email="zuzhang@example.cn")
    deputy = UserFactory(role=Role.TEAM_LEADER, jurisdiction=jurisdiction)
    join_team(deputy, team, Membership.Position.DEPUTY)
    author = team_user(team)
    teammate = team_user(team)
    other_team = TeamFactory(round=team.round)
    other_leader = team_user(other_team, Role.TEAM_LEADER)
    removed_deputy = UserFactory(role=Role.TEAM_LEADER, jurisdiction=jurisdiction)
    place = join_team(removed_deputy, team, Membership.Position.DEPUTY)
    place.is_active = False
    place.save()
    offices = [make_user(Role.OFFICE, email="ban@example.cn"), make_user(Role.OFFICE)]
    make_user(Role.OFFICE, jurisdiction=other_jurisdiction)
    make_user(Role.OFFICE, is_active=False)
    leading = make_user(Role.LEADING_GROUP)
    make_user(Role.LEADING_GROUP, jurisdiction=other_jurisdiction)
    make_user(Role.UNIT_LIAISON, unit=team_unit.unit)
    finding = FindingFactory(team_unit=team_unit, created_by=author, title="违规发放津贴补贴",
                             persons_involved="孙有才（财务科长）")
    Petition.objects.create(team=team, round=team.round, unit=team_unit.unit, channel=Petition.Channel.LETTER,
                            received_on=team.round.start_date, is_anonymous=False, petitioner_name="钱多多",
                            subject_person="孙有才", summary="反映违规发放津补贴", created_by=author)
    return {
        "finding": finding, "leader": leader, "deputy": deputy, "author": author, "teammate": teammate,
        "other_leader": other_leader, "offices": offices, "leading": leading,
    }


def _notified(since_id, run):
    run()
    rows = list(Notification.objects.filter(pk__gt=since_id))
    return {row.user_id for row in rows}, rows


def _last_id():
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_each_move_tells_exactly_whose_turn_it_is(world, django_capture_on_commit_callbacks):
    w, finding = world, world["finding"]
    with django_capture_on_commit_callbacks(execute=True):
        users, rows = _notified(_last_id(), lambda: services.finding_submit(finding=finding, actor=w["author"]))
    assert users == {w["leader"].pk, w["deputy"].pk}
    assert rows[0].title == f"待组长审核：问题#{finding.pk}“违规发放津贴补贴”（{finding.unit.name}）"
    assert rows[0].url == f"/findings/{finding.pk}/"
    assert [m.to for m in mail.outbox] == [["zuzhang@example.cn"]]
    assert mail.outbox[0].subject.startswith("【巡察】待组长审核")

    users, _ = _notified(_last_id(), lambda: services.finding_return(finding=finding, actor=w["leader"], reason="事实不清，补充凭证"))
    assert users == {w["author"].pk}
    users, _ = _notified(_last_id(), lambda: services.finding_submit(finding=finding, actor=w["author"]))
    assert users == {w["leader"].pk, w["deputy"].pk}
    users, _ = _notified(_last_id(), lambda: services.finding_leader_approve(finding=finding, actor=w["leader"]))
    assert users == {u.pk for u in w["offices"]}
    users, _ = _notified(_last_id(), lambda: services.finding_office_review(finding=finding, actor=w["offices"][0]))
    assert users == {w["leading"].pk}
    users, rows = _notified(_last_id(), lambda: services.finding_return(finding=finding, actor=w["leading"], reason="定性依据不准确"))
    assert users == {w["author"].pk}
    assert "定性依据不准确" in rows[0].body
    for verb, actor in (("finding_submit", "author"), ("finding_leader_approve", "leader")):
        getattr(services, verb)(finding=finding, actor=w[actor])
    services.finding_office_review(finding=finding, actor=w["offices"][1])
    users, rows = _notified(_last_id(), lambda: services.finding_approve(finding=finding, actor=w["leading"]))
    assert users == {w["author"].pk}
    assert rows[0].title.startswith("问题已审定")
    # The petition's persons (and those the finding names) are in no notice, title or body.
    texts = " ".join(n.title + n.body for n in Notification.objects.all())
    assert "孙有才" not in texts and "钱多多" not in texts


def test_a_refused_move_notifies_no_one(world):
    w = world
    before = _last_id()
    with pytest.raises(DomainError):
        services.finding_leader_approve(finding=w["finding"], actor=w["leader"])  # still a draft
    assert _last_id() == before


def test_a_member_whose_place_ended_is_not_told_of_the_return(world):
    w, finding = world, world["finding"]
    services.finding_submit(finding=finding, actor=w["author"])
    Membership.objects.filter(cadre__user=w["author"]).update(is_active=False)
    users, _ = _notified(_last_id(), lambda: services.finding_return(finding=finding, actor=w["leader"], reason="补充事实依据"))
    assert users == set()
