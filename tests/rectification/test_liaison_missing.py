"""The feedback page says when the unit has no liaison account (issue 15 item 1), and recording a feedback for
such a unit tells the system administrators, with the create page filled in."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inspection.accounts.models import Notification, Role
from rectification import services
from tests.factories import UserFactory

from .factories import FindingFactory, RoundFactory, TeamUnitFactory, make_feedback

pytestmark = pytest.mark.django_db

NOTICE = "该单位尚无联络员账号，请联系系统管理员创建"


def test_the_office_is_told_the_unit_has_no_liaison(office_client, jurisdiction):
    feedback, _, _ = make_feedback(jurisdiction=jurisdiction)
    body = office_client.get(reverse("rectification:feedback_detail", args=[feedback.pk])).content.decode()
    assert NOTICE in body
    assert "创建联络员账号" not in body  # the office does not create accounts


def test_no_notice_once_the_unit_has_a_liaison(office_client, jurisdiction, make_user):
    feedback, _, _ = make_feedback(jurisdiction=jurisdiction)
    make_user(Role.UNIT_LIAISON, unit=feedback.unit, username="liaison")
    body = office_client.get(reverse("rectification:feedback_detail", args=[feedback.pk])).content.decode()
    assert NOTICE not in body


def test_a_disabled_liaison_does_not_count(office_client, jurisdiction, make_user):
    feedback, _, _ = make_feedback(jurisdiction=jurisdiction)
    make_user(Role.UNIT_LIAISON, unit=feedback.unit, username="liaison", is_active=False)
    body = office_client.get(reverse("rectification:feedback_detail", args=[feedback.pk])).content.decode()
    assert NOTICE in body


def test_whoever_may_create_accounts_gets_the_filled_in_create_link(client, jurisdiction):
    """A superuser (outside production) sees the page and the link; the link fills in role, unit, office."""
    feedback, _, _ = make_feedback(jurisdiction=jurisdiction)
    client.force_login(UserFactory(username="root", role="", is_superuser=True, jurisdiction=jurisdiction))
    body = client.get(reverse("rectification:feedback_detail", args=[feedback.pk])).content.decode()
    link = (f"{reverse('accounts:user_create')}?role=unit_liaison&amp;unit={feedback.unit.pk}"
            f"&amp;jurisdiction={jurisdiction.pk}")
    assert f'href="{link}">创建联络员账号</a>' in body
    form = client.get(link.replace("&amp;", "&")).context["form"]
    assert (form["role"].value(), str(form["unit"].value())) == ("unit_liaison", str(feedback.unit.pk))


def test_recording_a_feedback_without_a_liaison_notifies_the_system_administrators(jurisdiction, office_user):
    sysadmin = UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN, jurisdiction=None,
                           display_name="何志远", phone="13807310001")
    team_unit = TeamUnitFactory(team__round=RoundFactory(jurisdiction=jurisdiction, phase="feedback"))
    FindingFactory(team=team_unit.team, unit=team_unit.unit)
    services.feedback_record(
        actor=office_user, round=team_unit.round, unit=team_unit.unit,
        held_on=timezone.localdate() - timedelta(days=1), place="会议室", attendees="班子成员",
        letter_number="清巡反〔2026〕9号",
    )
    notes = list(Notification.objects.filter(user=sysadmin).values_list("title", "url"))
    assert notes == [(
        f"{team_unit.unit.name}已反馈整改，尚无联络员账号，请创建",
        f"{reverse('accounts:user_create')}?role=unit_liaison&unit={team_unit.unit.pk}&jurisdiction={jurisdiction.pk}",
    )]
