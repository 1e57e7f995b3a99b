"""Pages: list (constant queries), form with the near-duplicate partial, detail with moves, report, checklist."""

import pytest
from django.urls import reverse

from findings.models import Category, Finding, FindingStatus

from .factories import FindingFactory, manifestation
from .test_services import draft


def test_list_query_count_is_constant(client, office_user, team_unit, django_assert_max_num_queries):
    client.force_login(office_user)
    FindingFactory.create_batch(2, team_unit=team_unit)
    with django_assert_max_num_queries(20) as few:
        response = client.get(reverse("findings:finding_list"))
    assert response.status_code == 200
    FindingFactory.create_batch(45, team_unit=team_unit)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("findings:finding_list"))
    assert response.content.decode().count('href="/findings/') >= 47


def test_list_search_and_filter(client, member, team_unit):
    FindingFactory(team_unit=team_unit, title="违规发放津贴补贴", created_by=member)
    FindingFactory(team_unit=team_unit, title="三会一课不规范", created_by=member)
    client.force_login(member)
    body = client.get(reverse("findings:finding_list"), {"q": "津贴"}).content.decode()
    assert "违规发放津贴补贴" in body and "三会一课不规范" not in body
    body = client.get(reverse("findings:finding_list"), {"status": "approved"}).content.decode()
    assert "没有符合条件的问题" in body


def test_member_files_a_finding_through_the_form(client, member, team_unit):
    client.force_login(member)
    url = reverse("findings:finding_create")
    assert client.get(url).status_code == 200
    data = {
        "team_unit": team_unit.pk, "category": manifestation("3.4.2").pk, "title": "脱贫数据统计造假",
        "facts": "2025年上报的脱贫户收入数据与台账不一致的有14户。", "basis": "违反《统计法》第七条",
        "money_involved": "", "persons_involved": "统计员刘某", "paper_description": "数据造假",
        "paper_supporting_facts": "台账与上报表对比", "paper_basis": "", "paper_process_record": "10月12日核对",
    }
    response = client.post(url, data)
    finding = Finding.objects.get(title="脱贫数据统计造假")
    assert response.status_code == 302 and response["Location"] == reverse("findings:finding_detail", args=[finding.pk])
    assert finding.working_paper.process_record == "10月12日核对"

    # The same problem again: the form refuses until the confirmation box is ticked.
    response = client.post(url, {**data, "title": "脱贫数据统计造假问题"})
    assert response.status_code == 200
    assert "确认不是重复问题" in response.content.decode()
    assert Finding.objects.count() == 1
    response = client.post(url, {**data, "title": "脱贫数据统计造假问题", "confirm_not_duplicate": "on"})
    assert response.status_code == 302 and Finding.objects.count() == 2


def test_form_errors_are_chinese_not_500(client, member, team_unit):
    client.force_login(member)
    response = client.post(reverse("findings:finding_create"), {"team_unit": team_unit.pk, "money_involved": "abc"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "该字段是必填项" in body and "输入一个数字" in body


def test_duplicate_partial(client, member, team_unit):
    draft(member, team_unit)
    client.force_login(member)
    url = reverse("findings:duplicates")
    body = client.get(url, {"team_unit": team_unit.pk, "title": "食堂违规公款吃喝"}).content.decode()
    assert "duplicate-item" in body and "机关食堂违规公款吃喝" in body and "相似度" in body
    body = client.get(url, {"team_unit": team_unit.pk, "title": "干部档案管理不规范"}).content.decode()
    assert "暂未发现相似问题" in body


def test_duplicate_partial_does_not_leak_another_teams_unit(client, outsider, member, team_unit):
    draft(member, team_unit)
    client.force_login(outsider)
    body = client.get(reverse("findings:duplicates"), {"team_unit": team_unit.pk, "title": "机关食堂违规公款吃喝"})
    assert "duplicate-item" not in body.content.decode()


def test_detail_shows_moves_and_leader_approves(client, member, leader, team_unit):
    finding = draft(member, team_unit)
    client.force_login(member)
    body = client.get(reverse("findings:finding_detail", args=[finding.pk])).content.decode()
    assert 'data-verb="submit"' in body and 'data-verb="leader_approve"' not in body
    client.post(reverse("findings:finding_transition", args=[finding.pk]), {"verb": "submit"})
    client.force_login(leader)
    body = client.get(reverse("findings:finding_detail", args=[finding.pk])).content.decode()
    assert 'data-verb="leader_approve"' in body and 'data-verb="return"' in body
    response = client.post(reverse("findings:finding_transition", args=[finding.pk]), {"verb": "return", "reason": ""}, follow=True)
    assert "不少于" in response.content.decode()
    client.post(reverse("findings:finding_transition", args=[finding.pk]), {"verb": "leader_approve"})
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.LEADER_APPROVED


def test_unit_report_groups_by_area_and_aspect(client, leader, member, team_unit, outsider):
    FindingFactory(team_unit=team_unit, category=manifestation("3.3.1"), title="公款吃喝A", created_by=member)
    FindingFactory(team_unit=team_unit, category=manifestation("3.3.3"), title="发放津贴B", created_by=member)
    FindingFactory(team_unit=team_unit, category=manifestation("2.2.1"), title="三会一课C", created_by=member)
    FindingFactory(team_unit=team_unit, title="已撤回D", status=FindingStatus.WITHDRAWN,
                   withdrawn_at="2026-10-01T00:00:00Z", created_by=member)
    client.force_login(leader)
    url = reverse("findings:unit_report", args=[team_unit.round_id, team_unit.unit_id])
    response = client.get(url)
    body = response.content.decode()
    assert response.context["report"]["total"] == 3
    areas = [(a["area"].name, a["count"]) for a in response.context["report"]["areas"]]
    assert areas == [("党的建设缺失", 1), ("全面从严治党不力", 2)]
    assert "违反中央八项规定精神（2 个）" in body and "已撤回D" not in body
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_category_pages_office_only(office_client, member):
    from django.test import Client

    member_client = Client()
    member_client.force_login(member)
    assert member_client.get(reverse("findings:category_list")).status_code == 403
    response = office_client.get(reverse("findings:category_list"))
    assert response.status_code == 200 and "违反中央八项规定精神" in response.content.decode()
    aspect = Category.objects.get(code="1.1")
    office_client.post(reverse("findings:category_create"), {"name": "学习走过场", "parent": aspect.pk})
    created = Category.objects.get(name="学习走过场")
    assert created.code == "1.1.3" and created.level == 3
    office_client.post(reverse("findings:category_edit", args=[created.pk]), {"name": "学习走过场、不深入", "order": 9})
    created.refresh_from_db()
    assert (created.name, created.order) == ("学习走过场、不深入", 9)
    office_client.post(reverse("findings:category_edit", args=[created.pk]), {"action": "retire", "name": "x"})
    created.refresh_from_db()
    assert created.is_active is False


@pytest.mark.parametrize("role_fixture", ["office_user", "leading_user"])
def test_oversight_reads_but_does_not_file(client, role_fixture, request, team_unit):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(reverse("findings:finding_list")).status_code == 200
    assert client.get(reverse("findings:finding_create")).status_code == 403


def test_list_offers_team_units_and_report_link(client, member, office_user, team_unit):
    client.force_login(member)
    body = client.get(reverse("findings:finding_list")).content.decode()
    report = reverse("findings:unit_report", args=[team_unit.round_id, team_unit.unit_id])
    assert 'id="my-team-units"' in body and report in body
    client.force_login(office_user)
    body = client.get(reverse("findings:finding_list")).content.decode()
    assert 'id="my-team-units"' not in body and report not in body
    body = client.get(reverse("findings:finding_list"), {"round": team_unit.round_id, "unit": team_unit.unit_id}).content.decode()
    assert report in body
