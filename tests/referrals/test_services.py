import datetime

import pytest
from django.utils import timezone

from inspection.accounts.models import Notification, Role
from inspection.core.exceptions import DomainError
from referrals import services
from referrals.models import LeadSource, LeadStatus, LeadStatusChange, ReferralStatus
from rounds.models import Membership, Petition

from .factories import FindingFactory, MembershipFactory, PetitionFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_lead_from_an_untrue_petition_carries_its_conclusion(office_user, round_):
    petition = PetitionFactory(
        team=TeamFactory(round=round_), conclusion=Petition.Conclusion.UNTRUE,
        conclusion_text="经调阅账目，反映的违规收受礼金问题不属实", created_by=office_user,
    )
    lead = services.lead_create(actor=office_user, round=round_, source=LeadSource.PETITION, petition=petition)
    assert lead.petition_conclusion == "untrue"
    assert lead.petition_conclusion_text == "经调阅账目，反映的违规收受礼金问题不属实"
    assert lead.subject_name == "王某某" and lead.team == petition.team
    row = LeadStatusChange.objects.get(lead=lead)
    assert (row.from_status, row.to_status, row.actor) == ("", LeadStatus.REGISTERED, office_user)


def test_lead_from_a_finding_takes_its_team_and_unit(office_user, round_):
    finding = FindingFactory(team=TeamFactory(round=round_), created_by=office_user)
    lead = services.lead_create(actor=office_user, round=round_, source=LeadSource.FINDING, finding=finding,
                                subject_name="赵某", summary="违规发放津补贴的直接责任人")
    assert (lead.team, lead.unit, lead.subject_unit) == (finding.team, finding.unit, finding.unit.name)


def test_finding_of_another_round_is_refused(office_user, round_):
    finding = FindingFactory(created_by=office_user, team__round__plan__jurisdiction=office_user.jurisdiction)
    with pytest.raises(DomainError) as exc:
        services.lead_create(actor=office_user, round=round_, source=LeadSource.FINDING, finding=finding,
                             subject_name="赵某", summary="x")
    assert exc.value.field == "finding"


def test_team_leader_registers_leads_of_own_team_only(make_user, round_, office_user):
    leader = make_user(Role.TEAM_LEADER, username="zuzhang")
    own = TeamFactory(round=round_)
    other = TeamFactory(round=round_)
    MembershipFactory(team=own, cadre__user=leader, position=Membership.Position.LEADER)
    own_petition = PetitionFactory(team=own, created_by=office_user)
    other_petition = PetitionFactory(team=other, created_by=office_user)
    lead = services.lead_create(actor=leader, round=round_, source=LeadSource.PETITION, petition=own_petition)
    assert lead.team == own
    with pytest.raises(DomainError):
        services.lead_create(actor=leader, round=round_, source=LeadSource.PETITION, petition=other_petition)


def test_team_member_cannot_register_as_leader(make_user, round_):
    member = make_user(Role.TEAM_LEADER, username="notleader")
    MembershipFactory(team=TeamFactory(round=round_), cadre__user=member, position=Membership.Position.MEMBER)
    with pytest.raises(DomainError):
        services.lead_create(actor=member, round=round_, source=LeadSource.OTHER, subject_name="甲", summary="乙")


def test_full_lifecycle_writes_a_status_row_per_move(make_lead, refer, discipline_body, discipline_user, jurisdiction):
    jurisdiction.disposition_due_days = 60
    jurisdiction.save()
    lead = make_lead()
    batch = refer(discipline_body, lead)
    assert batch.status == ReferralStatus.SENT and lead.status == LeadStatus.REFERRED and lead.referred_at
    services.batch_sign(referral=batch, actor=discipline_user)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.RECEIVED
    assert lead.disposition_due_on == timezone.localdate() + datetime.timedelta(days=60)
    services.lead_dispose(lead=lead, actor=discipline_user, kind="case_opened", note="经初核后立案")
    services.lead_record_results(lead=lead, actor=discipline_user, results=[
        {"kind": "party_discipline", "people_count": 2, "money_recovered": "35000.50"},
        {"kind": "admonition", "people_count": 1},
    ])
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONCLUDED and lead.concluded_at
    moves = list(lead.status_changes.values_list("from_status", "to_status", "actor__username"))
    assert [m[:2] for m in moves] == [
        ("registered", "referred"), ("referred", "received"), ("received", "disposed"), ("disposed", "concluded"),
    ]
    assert moves[1][2] == "jiwei"
    assert list(batch.status_changes.values_list("to_status", flat=True)) == ["draft", "sent", "signed"]


def test_receiver_of_another_body_cannot_sign(make_lead, refer, discipline_body, organization_user):
    batch = refer(discipline_body, make_lead())
    with pytest.raises(DomainError):
        services.batch_sign(referral=batch, actor=organization_user)
    batch.refresh_from_db()
    assert batch.status == ReferralStatus.SENT


def test_a_lead_goes_into_one_batch_only(make_lead, refer, discipline_body, organization_body, office_user):
    lead = make_lead()
    refer(discipline_body, lead, send=False)
    with pytest.raises(DomainError) as exc:
        services.batch_create(actor=office_user, receiving_body=organization_body, letter_number="X1",
                              letter_date=datetime.date(2026, 6, 1), leads=[lead])
    assert exc.value.field == "leads"


def test_letter_number_is_unique(make_lead, refer, discipline_body, office_user):
    refer(discipline_body, make_lead(), send=False)
    with pytest.raises(DomainError) as exc:
        services.batch_create(actor=office_user, receiving_body=discipline_body, letter_number="清巡办移〔2026〕1号",
                              letter_date=datetime.date(2026, 6, 1), leads=[make_lead()])
    assert exc.value.field == "letter_number"


def test_withdrawn_lead_leaves_its_draft_batch(make_lead, refer, discipline_body, office_user):
    lead, kept = make_lead(), make_lead()
    batch = refer(discipline_body, lead, kept, send=False)
    with pytest.raises(DomainError):
        services.lead_withdraw(lead=lead, actor=office_user, reason=" ")
    services.lead_withdraw(lead=lead, actor=office_user, reason="与第3号线索重复")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.WITHDRAWN and lead.referral is None
    services.batch_send(referral=batch, actor=office_user)
    assert list(batch.leads.values_list("pk", flat=True)) == [kept.pk]


def test_results_need_at_least_one_figure(make_lead, refer, discipline_body, discipline_user):
    lead = make_lead()
    refer(discipline_body, lead, sign_by=discipline_user)
    services.lead_dispose(lead=lead, actor=discipline_user, kind="preliminary")
    with pytest.raises(DomainError):
        services.lead_record_results(lead=lead, actor=discipline_user, results=[{"kind": "admonition"}])
    with pytest.raises(DomainError):
        services.lead_record_results(lead=lead, actor=discipline_user, results=[
            {"kind": "admonition", "people_count": 1}, {"kind": "admonition", "people_count": 2}])
    lead.refresh_from_db()
    assert lead.status == LeadStatus.DISPOSED


def test_unsigned_batches_are_reminded_once_a_day(make_lead, refer, discipline_body, discipline_user, make_user):
    make_user(Role.DISCIPLINE, username="jiwei2", receiving_body=discipline_body)
    batch = refer(discipline_body, make_lead())
    before = Notification.objects.filter(title__startswith="移交批次待签收").count()
    today = timezone.localdate()
    assert services.referrals_remind_unsigned(today=today) == 1
    assert services.referrals_remind_unsigned(today=today) == 0
    assert Notification.objects.filter(title__startswith="移交批次待签收").count() - before == 2
    assert services.referrals_remind_unsigned(today=today + datetime.timedelta(days=1)) == 1
    services.batch_sign(referral=batch, actor=discipline_user)
    assert services.referrals_remind_unsigned(today=today + datetime.timedelta(days=2)) == 0


def test_overdue_dispositions_are_reminded_to_receiver_and_office(
    make_lead, refer, discipline_body, discipline_user, office_user
):
    overdue, fresh = make_lead(), make_lead()
    refer(discipline_body, overdue, fresh, sign_by=discipline_user)
    overdue.disposition_due_on = timezone.localdate() - datetime.timedelta(days=3)
    overdue.save()
    assert services.leads_remind_overdue() == 1
    assert services.leads_remind_overdue() == 0
    assert Notification.objects.filter(user=discipline_user, title="问题线索处置逾期：1件").exists()
    assert Notification.objects.filter(user=office_user, title__contains="处置逾期").exists()


def test_tasks_run_the_services(make_lead, refer, discipline_body, discipline_user):
    from referrals import tasks

    refer(discipline_body, make_lead())
    assert tasks.remind_unsigned.delay().get() == 1
    assert tasks.remind_overdue.delay().get() == 0


def test_reminders_are_scheduled_daily():
    from django_celery_beat.models import PeriodicTask

    from referrals import tasks

    entries = {entry.task: entry for entry in PeriodicTask.objects.filter(task__startswith="referrals.")}
    assert set(entries) == {"referrals.remind_unsigned", "referrals.remind_overdue"}
    assert all(entry.enabled and entry.crontab.hour == "8" for entry in entries.values())
    # The beat entries name tasks that exist under those names.
    assert {tasks.remind_unsigned.name, tasks.remind_overdue.name} == set(entries)
    assert tasks.render_letter.name == "referrals.render_letter"
