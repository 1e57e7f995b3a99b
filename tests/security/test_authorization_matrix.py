"""The authorization matrix: for every role, every resource's API list and detail, and its detail page,
what the user may see inside and outside their scope.

The rules below are a second, independent statement of DOMAIN.md's need-to-know rules, written from the
records' relations, not from the access policies; the test walks the whole table against the demo county
(every status of every record) plus an office and a leading-group member of another county.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from findings.models import Finding, FindingStatus
from inspection.accounts.models import Jurisdiction, Role, User
from inspection.units.models import Cadre, Unit
from rectification.models import ProblemItem, RectificationReport, Task
from referrals.models import Lead, Referral, ReferralStatus
from rounds.models import Inquiry, Interview, Membership, Petition, Round, Team, TeamUnit

MEMBER_PHASES = {"preparation", "onsite", "report"}
LEADER_PHASES = MEMBER_PHASES | {"feedback"}
LIAISON_PHASES = {"feedback", "referral", "rectification", "completed"}
DEMO_USERS = ["office", "leader", "zuzhang", "zuyuan", "jiwei", "zuzhibu", "liaison", "shiban"]
OUTSIDERS = ["office_other", "leader_other"]
SAMPLE = 12  # detail checks per resource and user: spread over the table, in and out of scope


def current_team_ids(user):
    """Teams a team member works in while the round is in their need-to-know window."""
    phases = LEADER_PHASES if user.role == Role.TEAM_LEADER else MEMBER_PHASES
    return set(
        Membership.objects.filter(cadre__user=user, is_active=True, team__round__phase__in=phases).values_list(
            "team_id", flat=True
        )
    )


def follows_up(user, feedback):
    """The team of the feedback's round that has the unit, or a look-back team of that round that has it, with the
    user on an active place, while that team's round is not completed (DOMAIN.md: "The team that gave the feedback
    verifies and closes that feedback's tasks …; a later look-back team does so for the units it revisits, during
    the look-back round"). Assignments in force only (`TeamUnit.objects`)."""
    places = Membership.objects.filter(cadre__user=user, is_active=True).exclude(team__round__phase="completed")
    for team_unit in TeamUnit.objects.filter(team_id__in=places.values("team_id"), unit_id=feedback.unit_id):
        team_round = team_unit.round
        if team_round.pk == feedback.round_id:
            return True
        if team_round.kind == "lookback" and team_round.lookback_of.filter(pk=feedback.round_id).exists():
            return True
    return False


def sent_to_body(user, referral):
    return (
        referral is not None
        and referral.receiving_body_id == user.receiving_body_id
        and referral.status in (ReferralStatus.SENT, ReferralStatus.SIGNED)
    )


def same(jurisdiction_id, user):
    return jurisdiction_id == user.jurisdiction_id


def receiver_needs(user, finding):
    """An approved finding of the receiver's county that is behind a lead sent to its body, or on the problem list
    of a feedback of its county (the rectification it oversees)."""
    if finding.status != FindingStatus.APPROVED or not same(finding.round.jurisdiction_id, user):
        return False
    referred = any(sent_to_body(user, lead.referral) for lead in Lead.objects.filter(finding=finding))
    listed = ProblemItem.objects.filter(finding=finding, feedback__jurisdiction_id=user.jurisdiction_id).exists()
    return referred or listed


# resource -> (model, API list URL, page detail URL name or None, secret?, rule(user, obj) -> may see)
MATRIX = {
    "units": (Unit, "/api/units/", "units:unit_detail", False, lambda u, o: {
        Role.OFFICE: same(o.jurisdiction_id, u),
        Role.LEADING_GROUP: same(o.jurisdiction_id, u),
        Role.DISCIPLINE: same(o.jurisdiction_id, u),
        Role.ORGANIZATION: same(o.jurisdiction_id, u),
        Role.TEAM_LEADER: o.pk in set(TeamUnit.objects.filter(team_id__in=current_team_ids(u)).values_list("unit_id", flat=True)),
        Role.TEAM_MEMBER: o.pk in set(TeamUnit.objects.filter(team_id__in=current_team_ids(u)).values_list("unit_id", flat=True)),
        Role.UNIT_LIAISON: o.pk == u.unit_id,
    }[u.role]),
    "cadres": (Cadre, "/api/cadres/", "units:cadre_detail", False, lambda u, o: {
        Role.OFFICE: same(o.jurisdiction_id, u),
        Role.LEADING_GROUP: same(o.jurisdiction_id, u),
        Role.TEAM_LEADER: o.user_id == u.pk or Membership.objects.filter(cadre=o, is_active=True, team_id__in=current_team_ids(u)).exists(),
        Role.TEAM_MEMBER: o.user_id == u.pk or Membership.objects.filter(cadre=o, is_active=True, team_id__in=current_team_ids(u)).exists(),
    }.get(u.role, False)),
    "rounds": (Round, "/api/rounds/", "rounds:round_detail", False, lambda u, o: {
        Role.OFFICE: same(o.jurisdiction_id, u),
        Role.LEADING_GROUP: same(o.jurisdiction_id, u),
        Role.DISCIPLINE: same(o.jurisdiction_id, u),
        Role.ORGANIZATION: same(o.jurisdiction_id, u),
        Role.TEAM_LEADER: Team.objects.filter(round=o, pk__in=current_team_ids(u)).exists(),
        Role.TEAM_MEMBER: Team.objects.filter(round=o, pk__in=current_team_ids(u)).exists(),
        Role.UNIT_LIAISON: o.phase in LIAISON_PHASES and TeamUnit.objects.filter(round=o, unit_id=u.unit_id).exists(),
    }[u.role]),
    "petitions": (Petition, "/api/petitions/", "rounds:petition_detail", True, lambda u, o: {
        Role.OFFICE: same(o.round.jurisdiction_id, u),
        Role.LEADING_GROUP: same(o.round.jurisdiction_id, u),
        Role.TEAM_LEADER: o.team_id in current_team_ids(u),
        Role.TEAM_MEMBER: o.team_id in current_team_ids(u),
    }.get(u.role, False)),
    "inquiries": (Inquiry, "/api/inquiries/", "rounds:inquiry_detail", True, lambda u, o: {
        Role.OFFICE: same(o.round.jurisdiction_id, u),
        Role.LEADING_GROUP: same(o.round.jurisdiction_id, u),
        Role.TEAM_LEADER: o.team_id in current_team_ids(u),
        Role.TEAM_MEMBER: o.team_id in current_team_ids(u),
    }.get(u.role, False)),
    "findings": (Finding, "/api/findings/", "findings:finding_detail", False, lambda u, o: {
        Role.OFFICE: same(o.round.jurisdiction_id, u),
        Role.LEADING_GROUP: same(o.round.jurisdiction_id, u),
        Role.TEAM_LEADER: o.team_id in current_team_ids(u),
        Role.TEAM_MEMBER: o.team_id in current_team_ids(u),
        Role.DISCIPLINE: receiver_needs(u, o),
        Role.ORGANIZATION: receiver_needs(u, o),
    }.get(u.role, False)),
    "leads": (Lead, "/api/referrals/leads/", "referrals:lead_detail", True, lambda u, o: {
        Role.OFFICE: same(o.jurisdiction_id, u),
        Role.LEADING_GROUP: same(o.jurisdiction_id, u),
        Role.DISCIPLINE: sent_to_body(u, o.referral),
        Role.ORGANIZATION: sent_to_body(u, o.referral),
    }.get(u.role, False)),
    "referral batches": (Referral, "/api/referrals/batches/", "referrals:batch_detail", True, lambda u, o: {
        Role.OFFICE: same(o.jurisdiction_id, u),
        Role.LEADING_GROUP: same(o.jurisdiction_id, u),
        Role.DISCIPLINE: sent_to_body(u, o),
        Role.ORGANIZATION: sent_to_body(u, o),
    }.get(u.role, False)),
    "rectification tasks": (Task, "/api/rectification/tasks/", "rectification:task_detail", False, lambda u, o: {
        Role.OFFICE: same(o.plan.feedback.jurisdiction_id, u),
        Role.LEADING_GROUP: same(o.plan.feedback.jurisdiction_id, u),
        Role.DISCIPLINE: same(o.plan.feedback.jurisdiction_id, u),
        Role.ORGANIZATION: same(o.plan.feedback.jurisdiction_id, u),
        Role.TEAM_LEADER: follows_up(u, o.plan.feedback),
        Role.TEAM_MEMBER: follows_up(u, o.plan.feedback),
        Role.UNIT_LIAISON: o.plan.feedback.unit_id == u.unit_id,
    }[u.role]),
    "rectification reports": (RectificationReport, "/api/rectification/reports/", "rectification:report_detail", False,
                              lambda u, o: {
        Role.OFFICE: same(o.feedback.jurisdiction_id, u),
        Role.LEADING_GROUP: same(o.feedback.jurisdiction_id, u),
        Role.DISCIPLINE: same(o.feedback.jurisdiction_id, u),
        Role.ORGANIZATION: same(o.feedback.jurisdiction_id, u),
        Role.TEAM_LEADER: follows_up(u, o.feedback),
        Role.TEAM_MEMBER: follows_up(u, o.feedback),
        Role.UNIT_LIAISON: o.feedback.unit_id == u.unit_id,
    }[u.role]),
}

# Interview contents are secret like inquiries, and seen by the same people.
MATRIX["interviews"] = (Interview, "/api/interviews/", "rounds:interview_detail", True, MATRIX["inquiries"][4])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo county, seeded once for the module and rolled back afterwards."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", stdout=StringIO())
            other = Jurisdiction.objects.create(name="柳林县", office_name="中共柳林县委巡察工作领导小组办公室")
            User.objects.create_user("office_other", password="x", role=Role.OFFICE, jurisdiction=other)
            User.objects.create_user("leader_other", password="x", role=Role.LEADING_GROUP, jurisdiction=other)
            yield {u.username: u for u in User.objects.filter(username__in=DEMO_USERS + OUTSIDERS)}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def list_ids(client, url):
    ids, next_url = set(), url + "?page_size=200"
    while next_url:
        response = client.get(next_url)
        if response.status_code != 200:
            return response.status_code
        body = response.json()
        ids |= {row["id"] for row in body["results"]}
        next_url = body.get("next")
    return ids


def sample(objects):
    step = max(1, len(objects) // SAMPLE)
    return objects[::step][: SAMPLE + 1]


@pytest.mark.parametrize("username", DEMO_USERS + OUTSIDERS)
@pytest.mark.parametrize("resource", list(MATRIX))
def test_the_matrix(world, db, client, resource, username):
    model, api_url, page_name, secret, may_see = MATRIX[resource]
    user = world[username]
    client.force_login(user)
    everything = list(model._default_manager.order_by("pk"))
    assert everything, f"the demo data has no {resource}"
    expected = {obj.pk for obj in everything if may_see(user, obj)}

    listed = list_ids(client, api_url)
    if expected:
        assert listed == expected, f"{username} lists the wrong {resource}"
    else:
        assert listed in (set(), 403), f"{username} must not list {resource}"

    for obj in sample(everything):
        api = client.get(f"{api_url}{obj.pk}/").status_code
        page = client.get(reverse(page_name, args=[obj.pk])).status_code
        if obj.pk in expected:
            assert (api, page) == (200, 200), f"{username} cannot see {resource} {obj.pk}"
        elif secret:
            assert (api, page) == (404, 404), f"{username} is told secret {resource} {obj.pk} exists"
        else:
            assert api in (403, 404) and page in (403, 404), f"{username} sees {resource} {obj.pk}"


@pytest.mark.parametrize("resource", list(MATRIX))
def test_nothing_is_deleted_through_the_api(world, db, client, resource):
    model, api_url, _, _, _ = MATRIX[resource]
    client.force_login(world["office"])
    obj = model._default_manager.filter(pk__in=list_ids(client, api_url)).first()
    assert client.delete(f"{api_url}{obj.pk}/").status_code == 405
    assert model._default_manager.filter(pk=obj.pk).exists()


def below_or_same(jurisdiction, ancestor_id):
    while jurisdiction is not None:
        if jurisdiction.pk == ancestor_id:
            return True
        jurisdiction = jurisdiction.parent
    return False


@pytest.mark.parametrize("username", DEMO_USERS + OUTSIDERS)
def test_the_rollup_matrix(world, db, client, username):
    """The roll-up (aggregates of an office and the offices below it): the office and the leading group of that
    office or of an office above it; nobody else, and never a sibling's or a higher office's."""
    user = world[username]
    client.force_login(user)
    offices = list(Jurisdiction.objects.select_related("parent__parent"))
    assert {o.name for o in offices} >= {"清河县", "新河县", "河阳市", "柳林县"}
    for office in offices:
        may = user.role in (Role.OFFICE, Role.LEADING_GROUP) and below_or_same(office, user.jurisdiction_id)
        page = client.get(reverse("dashboard:rollup"), {"jurisdiction": office.pk}).status_code
        api = client.get(reverse("api-dashboard-rollup"), {"jurisdiction": office.pk}).status_code
        if may:
            assert (page, api) == (200, 200), f"{username} cannot see the roll-up of {office}"
        else:
            assert page in (403, 404) and api in (403, 404), f"{username} sees the roll-up of {office}"
    if user.role != Role.OFFICE:
        assert client.post(reverse("dashboard:rollup_refresh")).status_code == 403, username
