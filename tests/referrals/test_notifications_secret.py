"""Issue 13 item 4: notifications about leads carry a link and lead numbers, never a subject's name."""

import datetime

import pytest
from django.utils import timezone

from inspection.accounts.models import Notification
from referrals import services

pytestmark = pytest.mark.django_db


def _texts(user):
    return [f"{n.title}\n{n.body}" for n in Notification.objects.filter(user=user)]


def test_overdue_reminders_name_lead_numbers_not_subjects(make_lead, refer, discipline_body, discipline_user, office_user):
    first, second = make_lead(subject_name="欧阳秀珍"), make_lead(subject_name="司马建国")
    refer(discipline_body, first, second, sign_by=discipline_user)
    for lead in (first, second):
        lead.disposition_due_on = timezone.localdate() - datetime.timedelta(days=3)
        lead.save()
    assert services.leads_remind_overdue() == 2
    receiver = Notification.objects.get(user=discipline_user, title="问题线索处置逾期：2件")
    # Newest first, the leads' default order.
    assert receiver.body == f"以下线索已超过处置报告期限：线索{second.pk}、线索{first.pk}，请尽快处置并反馈。"
    assert receiver.url == "/referrals/workspace/"
    office = Notification.objects.get(user=office_user, title=f"{discipline_body.name}有2件问题线索处置逾期")
    assert office.body == f"涉及：线索{second.pk}、线索{first.pk}。"
    for text in _texts(discipline_user) + _texts(office_user):
        assert "欧阳秀珍" not in text and "司马建国" not in text


def test_more_than_ten_overdue_leads_are_cut_with_deng(make_lead, refer, discipline_body, discipline_user):
    leads = [make_lead() for _ in range(11)]
    refer(discipline_body, *leads, sign_by=discipline_user)
    for lead in leads:
        lead.disposition_due_on = timezone.localdate() - datetime.timedelta(days=1)
        lead.save()
    services.leads_remind_overdue()
    body = Notification.objects.get(user=discipline_user, title="问题线索处置逾期：11件").body
    assert body.endswith(f"线索{leads[1].pk}等，请尽快处置并反馈。") and f"线索{leads[0].pk}、" not in body
    assert not any(lead.subject_name in body for lead in leads)


def test_a_sent_batch_notifies_without_names(make_lead, refer, discipline_body, discipline_user):
    refer(discipline_body, make_lead(subject_name="欧阳秀珍"))
    texts = _texts(discipline_user)
    assert texts and not any("欧阳秀珍" in text for text in texts)


def test_a_lead_is_named_by_its_number():
    from referrals.models import Lead

    assert str(Lead(pk=12, subject_name="欧阳秀珍")) == "线索12"
