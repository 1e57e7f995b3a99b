"""Issue 13 item 4: the edit form of a secret record shows its secret fields (the petitioner, the asker, the
interview notes), so opening it, or seeing it again after an invalid post, is a logged read; a valid post
that saves and redirects renders nothing, and the page it leads to logs its own read."""

import datetime

import pytest
from django.urls import reverse

from inspection.audit.models import ReadLog
from rounds.models import Inquiry, Interview

pytestmark = pytest.mark.django_db


def _rows(obj):
    return list(
        ReadLog.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).values_list("user_id", "action")
    )


@pytest.fixture
def inquiry(scene):
    return Inquiry.objects.create(round=scene["round"], team=scene["team_a"], asker_name="皇甫志刚", asker_post="县住建局局长",
                                  asked_person="组长", asked_on=datetime.date(2026, 3, 5), manner="pleading",
                                  subject="为某局长说情", created_by=scene["users"]["leader"])


@pytest.fixture
def interview(scene):
    return Interview.objects.create(round=scene["round"], team=scene["team_a"], unit=scene["unit_a"],
                                    interviewee_name="诸葛丽华", held_on=datetime.date(2026, 3, 6), interviewers="组长",
                                    notes="反映某局长收受礼金", created_by=scene["users"]["leader"])


@pytest.mark.parametrize("kind", ["petition", "inquiry", "interview"])
def test_the_edit_form_logs_the_read(client, scene, inquiry, interview, kind):
    obj, shown = {
        "petition": (scene["petition"], "反映该单位违规发放津补贴"),
        "inquiry": (inquiry, "皇甫志刚"),
        "interview": (interview, "反映某局长收受礼金"),
    }[kind]
    user = scene["users"]["member"]
    client.force_login(user)
    response = client.get(reverse("rounds:record_edit", args=[kind, obj.pk]))
    assert response.status_code == 200 and shown in response.content.decode()
    assert _rows(obj) == [(user.pk, "view")]


def test_petition_form_shown_again_after_an_invalid_post_logs_the_read(client, scene):
    user, petition = scene["users"]["member"], scene["petition"]
    client.force_login(user)
    response = client.post(reverse("rounds:record_edit", args=["petition", petition.pk]), {
        "team": scene["team_a"].pk, "channel": "letter", "received_on": "2026-03-10", "is_anonymous": "",
        "petitioner_name": "", "summary": "反映该单位违规发放津补贴", "conclusion": "pending",
    })
    assert response.status_code == 200
    assert "实名信访须填写信访人姓名；匿名信访请勾选“匿名”" in response.content.decode()
    assert _rows(petition) == [(user.pk, "view")]


def test_inquiry_form_shown_again_after_an_invalid_post_logs_the_read(client, scene, inquiry):
    user = scene["users"]["leader"]
    client.force_login(user)
    response = client.post(reverse("rounds:record_edit", args=["inquiry", inquiry.pk]), {
        "team": scene["team_a"].pk, "asker_name": "", "asked_person": "组长", "asked_on": "2026-03-05",
        "manner": "pleading", "subject": "为某局长说情",
    })
    assert response.status_code == 200 and "该字段是必填项。" in response.content.decode()
    assert _rows(inquiry) == [(user.pk, "view")]
    inquiry.refresh_from_db()
    assert inquiry.asker_name == "皇甫志刚"


def test_a_valid_post_renders_no_form_and_the_detail_page_logs_its_read(client, scene, interview):
    user = scene["users"]["leader"]
    client.force_login(user)
    response = client.post(reverse("rounds:record_edit", args=["interview", interview.pk]), {
        "team": scene["team_a"].pk, "unit": scene["unit_a"].pk, "interviewee_name": "诸葛丽华",
        "held_on": "2026-03-06", "interviewers": "组长", "notes": "补充：已核实",
    })
    assert response.status_code == 302 and response["Location"] == reverse("rounds:interview_detail", args=[interview.pk])
    assert _rows(interview) == []
    assert client.get(response["Location"]).status_code == 200
    assert _rows(interview) == [(user.pk, "view")]


def test_opening_the_form_to_add_a_record_logs_nothing(client, scene):
    client.force_login(scene["users"]["member"])
    for kind in ("petition", "inquiry", "interview"):
        assert client.get(reverse("rounds:record_create", args=[scene["round"].pk, kind])).status_code == 200
    assert not ReadLog.objects.exists()
