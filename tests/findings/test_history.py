"""不准随意推翻: after approval a change needs the office and a reason, and every version stays visible."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from findings import services
from findings.models import FindingStatus
from inspection.core.exceptions import DomainError
from inspection.core.history import history_rows

from .test_services import draft, walk_to_approved


@pytest.fixture
def approved(team_unit, member, leader, office_user, leading_user):
    return walk_to_approved(draft(member, team_unit), member=member, leader=leader, office=office_user, leading=leading_user)


def test_approved_finding_is_not_edited_through_the_draft_path(approved, member, leader):
    for actor in (member, leader):
        with pytest.raises(PermissionDenied):
            services.finding_update(finding=approved, actor=actor, title="悄悄改掉")


def test_amend_needs_office_and_reason(approved, leader, leading_user, office_user):
    for actor in (leader, leading_user):
        with pytest.raises(PermissionDenied):
            services.finding_amend(finding=approved, actor=actor, reason="核减金额，依据财政局认定", money_involved="9300.00")
    with pytest.raises(DomainError) as excinfo:
        services.finding_amend(finding=approved, actor=office_user, reason="", money_involved="9300.00")
    assert excinfo.value.field == "reason"
    approved.refresh_from_db()
    assert str(approved.money_involved) == "18600.00"


def test_every_version_is_kept_with_its_reason_and_diff(approved, office_user):
    services.finding_amend(
        finding=approved, actor=office_user, reason="经财政局认定，其中6次为正常公务接待，核减金额",
        money_involved="9300.00", title="机关食堂违规公款吃喝6次",
    )
    approved.refresh_from_db()
    assert approved.status == FindingStatus.APPROVED
    rows = history_rows(approved)
    latest = rows[0]
    assert latest.reason.startswith("审定后修改：经财政局认定")
    changes = {label: (str(old), str(new)) for label, old, new in latest.changes}
    assert changes["涉及金额（元）"] == ("18600.00", "9300.00")
    assert changes["问题标题"] == ("机关食堂违规公款吃喝", "机关食堂违规公款吃喝6次")
    # create + submit + leader + office + approve + amend: nothing overwritten
    assert len(rows) == 6
    assert [r.kind for r in rows][-1] == "创建"
    assert any(r.reason == "领导小组审定" for r in rows)


def test_detail_page_shows_versions(client, approved, office_user):
    services.finding_amend(finding=approved, actor=office_user, reason="根据听取解释说明调整定性依据", basis="违反第一百零七条")
    client.force_login(office_user)
    response = client.get(reverse("findings:finding_detail", args=[approved.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "审定后修改：根据听取解释说明调整定性依据" in body
    assert "违反第一百零七条" in body and "定性依据" in body
    assert "审定后修改（须填写理由）" in body


def test_withdrawing_an_approved_finding_is_office_only_with_reason(approved, leader, office_user):
    with pytest.raises(PermissionDenied):
        services.finding_withdraw(finding=approved, actor=leader, reason="不想要了不想要了")
    finding = services.finding_withdraw(finding=approved, actor=office_user, reason="经复核与第2号问题重复，报领导小组同意撤回")
    assert finding.status == FindingStatus.WITHDRAWN
    assert finding.approved_at is not None
    assert history_rows(finding)[0].reason.startswith("撤回（推翻已审定问题）")


def test_working_paper_versions_are_kept_too(client, approved, office_user):
    services.finding_amend(
        finding=approved, actor=office_user, reason="补充第三方认定后完善底稿",
        working_paper={"supporting_facts": "县财政局认定意见书（清财函〔2026〕12号）"},
    )
    rows = history_rows(approved.working_paper)
    assert rows[0].reason == "审定后修改：补充第三方认定后完善底稿"
    assert ("事实支撑", "食堂就餐登记表", "县财政局认定意见书（清财函〔2026〕12号）") in rows[0].changes
    client.force_login(office_user)
    body = client.get(reverse("findings:finding_detail", args=[approved.pk])).content.decode()
    assert 'id="paper-history"' in body and "清财函〔2026〕12号" in body
