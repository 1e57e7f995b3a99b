"""整改公开: the public summary may not name a petitioner of the round, nor a person a lead or a petition of the
round and unit is about. The check goes through inspection.core.sensitive_names (rectification cannot import
referrals); the refusal names the kind of name only, on save and on publish, on the page and in the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from inspection.accounts.models import Role
from inspection.core import sensitive_names
from inspection.core.exceptions import DomainError
from rectification import services
from rectification.models import Disclosure, PlanStatus
from tests.referrals.factories import LeadFactory, PetitionFactory

from .factories import RoundFactory, make_feedback

DISCLOSURES = "/api/rectification/disclosures/"
CLEAN = "该单位党组织逐项制定整改措施，目前反馈问题已大部分整改完成。"


@pytest.fixture
def office(make_user):
    return make_user(Role.OFFICE)


@pytest.fixture
def feedback(jurisdiction):
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, plan_status=PlanStatus.ACCEPTED)
    team = findings[0].team
    LeadFactory(round=feedback.round, unit=feedback.unit, subject_name="张建国", created_by=feedback.created_by)
    PetitionFactory(team=team, unit=feedback.unit, is_anonymous=False, petitioner_name="刘秀英",
                    subject_person="赵德明", created_by=feedback.created_by)
    return feedback


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_registry_finds_each_kind_of_name(feedback):
    assert sensitive_names.names_in(CLEAN, feedback=feedback) == []
    found = sensitive_names.names_in("张建国、刘秀英和赵德明", feedback=feedback)
    assert sorted(found) == sorted([
        ("问题线索被反映人姓名", "张建国"), ("信访人姓名", "刘秀英"), ("信访件被反映人姓名", "赵德明"),
    ])


def test_names_of_other_rounds_and_units_do_not_count(feedback, jurisdiction):
    other_round = RoundFactory(jurisdiction=jurisdiction)
    LeadFactory(round=other_round, unit=feedback.unit, subject_name="钱多多", created_by=feedback.created_by)
    LeadFactory(round=feedback.round, unit=None, subject_name="孙小小", created_by=feedback.created_by)
    assert sensitive_names.names_in("钱多多和孙小小", feedback=feedback) == []


def test_a_one_character_name_is_ignored_and_like_wildcards_are_literal(feedback):
    LeadFactory(round=feedback.round, unit=feedback.unit, subject_name="王", created_by=feedback.created_by)
    LeadFactory(round=feedback.round, unit=feedback.unit, subject_name="%_", created_by=feedback.created_by)
    assert sensitive_names.names_in("王局长表示将持续推进整改", feedback=feedback) == []


def test_save_is_refused_naming_the_kind_not_the_person(feedback, office):
    with pytest.raises(DomainError) as refused:
        services.disclosure_save(feedback=feedback, actor=office, title="整改情况", summary=f"{CLEAN}张建国已被问责。")
    assert refused.value.field == "summary"
    assert "问题线索被反映人姓名" in refused.value.message and "张建国" not in refused.value.message
    assert not Disclosure.objects.exists()


def test_publish_rechecks_the_stored_summary(feedback, office):
    disclosure = services.disclosure_save(feedback=feedback, actor=office, title="整改情况", summary=CLEAN)
    # The name was not known when the summary was saved (the petition was logged later).
    Disclosure.objects.filter(pk=disclosure.pk).update(summary=f"{CLEAN}感谢刘秀英同志的监督。")
    with pytest.raises(DomainError) as refused:
        services.disclosure_publish(disclosure=disclosure, actor=office)
    assert refused.value.field == "summary" and "信访人姓名" in refused.value.message and "不能公开" in refused.value.message
    disclosure.refresh_from_db()
    assert disclosure.published_at is None
    services.disclosure_publish(disclosure=disclosure, actor=office, publish=False)  # withdrawing is never refused


@pytest.mark.parametrize("publish", [False, True])
def test_the_page_shows_the_refusal_and_keeps_the_text(client, feedback, office, publish):
    client.force_login(office)
    typed = f"{CLEAN}赵德明已调离。"
    data = {"title": "整改进展情况", "summary": typed, **({"publish": "1"} if publish else {})}
    response = client.post(reverse("rectification:disclosure_edit", args=[feedback.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "信访件被反映人姓名" in page and typed in page
    assert not Disclosure.objects.exists()
    fixed = client.post(reverse("rectification:disclosure_edit", args=[feedback.pk]),
                        {**data, "summary": CLEAN})
    assert fixed.status_code == 302
    assert (Disclosure.objects.get().published_at is not None) == publish


def test_the_api_refuses_with_a_field_message(feedback, office):
    office_api = api(office)
    refused = office_api.post(DISCLOSURES, {"feedback": feedback.pk, "title": "整改进展", "summary": f"{CLEAN}张建国"},
                              format="json")
    assert refused.status_code == 400 and "问题线索被反映人姓名" in refused.json()["summary"][0]
    assert "张建国" not in refused.content.decode().replace(f"{CLEAN}张建国", "")
    created = office_api.post(DISCLOSURES, {"feedback": feedback.pk, "title": "整改进展", "summary": CLEAN},
                              format="json")
    assert created.status_code == 201
    url = f"{DISCLOSURES}{created.json()['id']}/"
    patched = office_api.patch(url, {"summary": f"{CLEAN}刘秀英"}, format="json")
    assert patched.status_code == 400 and "信访人姓名" in patched.json()["summary"][0]
    Disclosure.objects.filter(pk=created.json()["id"]).update(summary=f"{CLEAN}刘秀英")
    published = office_api.post(f"{url}publish/")
    assert published.status_code == 400 and "信访人姓名" in published.json()["summary"][0]
    assert Disclosure.objects.get().published_at is None


def test_the_title_is_screened_too_on_save_and_publish(feedback, office):
    with pytest.raises(DomainError) as refused:
        services.disclosure_save(feedback=feedback, actor=office, title="关于张建国问题的整改情况", summary=CLEAN)
    assert refused.value.field == "title"
    assert refused.value.message == (
        "标题中含有问题线索被反映人姓名，不能保存。请删除相关姓名（可改为“某同志”“有关人员”等）后再保存。"
    )
    assert not Disclosure.objects.exists()
    disclosure = services.disclosure_save(feedback=feedback, actor=office, title="整改情况", summary=CLEAN)
    Disclosure.objects.filter(pk=disclosure.pk).update(title="刘秀英反映问题的整改情况")
    with pytest.raises(DomainError) as refused:
        services.disclosure_publish(disclosure=disclosure, actor=office)
    assert refused.value.field == "title" and refused.value.message.startswith("标题中含有信访人姓名，不能公开。")
    disclosure.refresh_from_db()
    assert disclosure.published_at is None


def test_the_title_refusal_on_the_page_keeps_the_text(client, feedback, office):
    client.force_login(office)
    typed = "赵德明所在单位整改进展情况"
    response = client.post(reverse("rectification:disclosure_edit", args=[feedback.pk]),
                           {"title": typed, "summary": CLEAN, "publish": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "标题中含有信访件被反映人姓名，不能保存。" in page
    assert f'value="{typed}"' in page and CLEAN in page
    assert response.context["form"].errors["title"][0].startswith("标题中含有信访件被反映人姓名")
    assert not Disclosure.objects.exists()


def test_the_api_refuses_a_title_with_a_field_message(feedback, office):
    office_api = api(office)
    refused = office_api.post(DISCLOSURES, {"feedback": feedback.pk, "title": "张建国问题整改", "summary": CLEAN},
                              format="json")
    assert refused.status_code == 400
    assert refused.json()["title"] == [
        "标题中含有问题线索被反映人姓名，不能保存。请删除相关姓名（可改为“某同志”“有关人员”等）后再保存。"
    ]
    created = office_api.post(DISCLOSURES, {"feedback": feedback.pk, "title": "整改进展", "summary": CLEAN},
                              format="json")
    patched = office_api.patch(f"{DISCLOSURES}{created.json()['id']}/", {"title": "刘秀英来信整改"}, format="json")
    assert patched.status_code == 400 and patched.json()["title"][0].startswith("标题中含有信访人姓名")
    assert Disclosure.objects.get().title == "整改进展"
