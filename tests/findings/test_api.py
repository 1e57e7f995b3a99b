"""The REST API: list with filters and search (constant queries), detail, transitions, amend, duplicates."""

import datetime

import pytest

from findings.models import FindingStatus

from .factories import FindingFactory, WorkingPaperFactory, manifestation
from .test_services import draft


def create_payload(team_unit, **fields):
    payload = {
        "team_unit": team_unit.pk, "category": manifestation("3.5.1").pk, "title": "白条入账问题",
        "facts": "2025年共有白条入账23笔，金额4.2万元。", "basis": "违反《会计法》第十四条", "money_involved": "42000.00",
        "working_paper": {"description": "白条入账", "supporting_facts": "会计凭证第12、35号"},
    }
    payload.update(fields)
    return payload


def test_list_query_count_is_constant(client, office_user, team_unit, django_assert_max_num_queries):
    client.force_login(office_user)
    FindingFactory.create_batch(2, team_unit=team_unit)
    with django_assert_max_num_queries(8) as few:
        assert len(client.get("/api/findings/").json()["results"]) == 2
    FindingFactory.create_batch(40, team_unit=team_unit)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/findings/").json()["results"]) == 42


def test_filters_and_chinese_search(client, office_user, team_unit, other_team_unit):
    FindingFactory(team_unit=team_unit, title="违规发放津贴补贴", facts="发放加班补贴3.2万元")
    FindingFactory(team_unit=team_unit, title="三会一课不规范", facts="支部委员会会议记录缺失")
    FindingFactory(team_unit=other_team_unit, title="违规发放福利", facts="春节发放购物卡")
    client.force_login(office_user)

    def titles(query):
        return sorted(r["title"] for r in client.get(f"/api/findings/?{query}").json()["results"])

    assert titles("q=违规发放") == ["违规发放津贴补贴", "违规发放福利"]
    assert titles("q=会议记录") == ["三会一课不规范"]
    assert titles(f"q=违规发放&unit={team_unit.unit_id}") == ["违规发放津贴补贴"]
    assert titles(f"team={other_team_unit.team_id}") == ["违规发放福利"]
    assert titles(f"category={manifestation().parent.parent_id}") == ["三会一课不规范", "违规发放津贴补贴", "违规发放福利"]
    assert titles("status=approved") == []


def test_create_submit_approve_through_the_api(client, team_unit, member, leader, office_user, leading_user):
    client.force_login(member)
    response = client.post("/api/findings/", create_payload(team_unit), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["working_paper"]["supporting_facts"] == "会计凭证第12、35号"
    assert [m["verb"] for m in body["available_moves"]] == ["submit", "withdraw"]
    pk = body["id"]
    assert client.post(f"/api/findings/{pk}/submit/").json()["status"] == "submitted"
    assert client.post(f"/api/findings/{pk}/leader-approve/").status_code == 403

    client.force_login(leader)
    response = client.post(f"/api/findings/{pk}/return/", {"reason": ""}, content_type="application/json")
    assert response.status_code == 400 and "原因" in response.json()["reason"][0]
    assert client.post(f"/api/findings/{pk}/leader-approve/").json()["status"] == "leader_approved"
    client.force_login(office_user)
    assert client.post(f"/api/findings/{pk}/office-review/").json()["status"] == "office_reviewed"
    client.force_login(leading_user)
    body = client.post(f"/api/findings/{pk}/approve/").json()
    assert body["status"] == "approved" and body["available_moves"] == []

    client.force_login(office_user)
    response = client.post(f"/api/findings/{pk}/amend/", {"money_involved": "40000.00"}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(
        f"/api/findings/{pk}/amend/", {"money_involved": "40000.00", "reason": "其中2千元已有合规票据"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["money_involved"] == "40000.00"


def test_no_delete_and_wrong_state_is_400(client, team_unit, member):
    finding = draft(member, team_unit)
    client.force_login(member)
    assert client.delete(f"/api/findings/{finding.pk}/").status_code == 405
    response = client.post(f"/api/findings/{finding.pk}/approve/")
    assert response.status_code == 403


def test_bad_input_is_400_with_field_messages(client, team_unit, member):
    client.force_login(member)
    response = client.post("/api/findings/", create_payload(team_unit, category=manifestation().parent_id, title=""),
                           content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) >= {"category", "title"}
    response = client.post("/api/findings/", {**create_payload(team_unit), "team_unit": 999999}, content_type="application/json")
    assert response.status_code == 400 and "team_unit" in response.json()


def test_duplicates_endpoint(client, team_unit, member):
    draft(member, team_unit)
    client.force_login(member)
    response = client.get(f"/api/findings/duplicates/?unit={team_unit.unit_id}&title=机关食堂违规公款吃喝问题")
    assert response.status_code == 200
    [hit] = response.json()
    assert hit["title"] == "机关食堂违规公款吃喝" and hit["similarity"] >= 0.4
    assert client.get("/api/findings/duplicates/?unit=abc").status_code == 400


def test_detail_has_evidence_and_moves(client, team_unit, member, leader):
    finding = draft(member, team_unit)
    client.force_login(leader)
    response = client.post(
        f"/api/findings/{finding.pk}/hearings/",
        {"explained_by": "张局长", "held_on": "2026-10-20", "explanation": "系接待上级检查", "adopted": False},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    response = client.post(
        f"/api/findings/{finding.pk}/opinions/",
        {"department": "县财政局", "opinion": "属违规列支", "given_on": "2026-10-21"},
    )
    assert response.status_code == 201, response.content
    body = client.get(f"/api/findings/{finding.pk}/").json()
    assert body["hearings"][0]["explained_by"] == "张局长"
    assert body["opinions"][0]["department"] == "县财政局"
    assert {m["verb"] for m in body["available_moves"]} == {"submit", "withdraw"}


def test_categories_office_only_writes(client, office_user, member):
    client.force_login(member)
    assert len(client.get("/api/finding-categories/").json()) >= 75
    assert client.post("/api/finding-categories/", {"name": "新领域"}, content_type="application/json").status_code == 403
    client.force_login(office_user)
    response = client.post("/api/finding-categories/", {"name": "新领域"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["level"] == 1
    response = client.patch(f"/api/finding-categories/{response.json()['id']}/", {"is_active": False},
                            content_type="application/json")
    assert response.json()["is_active"] is False


@pytest.mark.parametrize("count", [1, 30])
def test_detail_query_count_does_not_grow_with_evidence(client, team_unit, member, count, django_assert_max_num_queries):
    finding = FindingFactory(team_unit=team_unit, created_by=member, status=FindingStatus.DRAFT)
    WorkingPaperFactory(finding=finding)
    from findings.models import Hearing

    Hearing.objects.bulk_create(
        Hearing(finding=finding, explained_by=f"说明人{i}", held_on=datetime.date(2026, 10, 1), explanation="说明",
                recorded_by=member) for i in range(count)
    )
    client.force_login(member)
    with django_assert_max_num_queries(25):
        assert len(client.get(f"/api/findings/{finding.pk}/").json()["hearings"]) == count
