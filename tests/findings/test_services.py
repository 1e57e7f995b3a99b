"""The review workflow through the services, with real users in real teams."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from findings import selectors, services
from findings.models import Category, Finding, FindingStatus, StatusChange
from inspection.accounts.models import Role
from inspection.core.exceptions import DomainError
from rounds.models import Phase

from .factories import FindingFactory, manifestation


def draft(member, team_unit, **fields):
    values = {
        "category": manifestation("3.3.1"),
        "title": "机关食堂违规公款吃喝",
        "facts": "2025年3月至6月，该局以工作餐名义在机关食堂公款宴请12次，金额共计1.86万元。",
        "basis": "违反《中国共产党纪律处分条例》第一百零六条",
        "money_involved": "18600.00",
        "working_paper": {"description": "公款吃喝", "supporting_facts": "食堂就餐登记表", "process_record": "查阅凭证"},
    }
    values.update(fields)
    return services.finding_create(actor=member, team_unit=team_unit, **values)


def walk_to_approved(finding, *, member, leader, office, leading):
    finding = services.finding_submit(finding=finding, actor=member)
    finding = services.finding_leader_approve(finding=finding, actor=leader)
    finding = services.finding_office_review(finding=finding, actor=office)
    return services.finding_approve(finding=finding, actor=leading)


def test_full_review_records_every_step(team_unit, member, leader, office_user, leading_user):
    finding = draft(member, team_unit)
    assert finding.status == FindingStatus.DRAFT
    assert finding.round_id == team_unit.round_id and finding.unit_id == team_unit.unit_id
    assert finding.working_paper.supporting_facts == "食堂就餐登记表"

    finding = walk_to_approved(finding, member=member, leader=leader, office=office_user, leading=leading_user)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.APPROVED
    assert finding.submitted_at and finding.approved_at
    rows = list(StatusChange.objects.filter(finding=finding).values_list("from_status", "to_status", "actor__username"))
    assert rows == [
        ("draft", "submitted", "member"),
        ("submitted", "leader_approved", "leader"),
        ("leader_approved", "office_reviewed", "office"),
        ("office_reviewed", "approved", "leading"),
    ]


def test_return_needs_a_reason_and_returned_finding_is_edited_and_resubmitted(team_unit, member, leader):
    finding = services.finding_submit(finding=draft(member, team_unit), actor=member)
    with pytest.raises(DomainError) as excinfo:
        services.finding_return(finding=finding, actor=leader, reason="  ")
    assert excinfo.value.field == "reason"
    finding = services.finding_return(finding=finding, actor=leader, reason="事实不清，请补充凭证号")
    assert finding.status == FindingStatus.RETURNED and finding.returned_reason == "事实不清，请补充凭证号"

    finding = services.finding_update(finding=finding, actor=member, facts="补充：凭证号2025-03-118等12张。")
    finding = services.finding_submit(finding=finding, actor=member)
    assert finding.status == FindingStatus.SUBMITTED
    assert StatusChange.objects.filter(finding=finding, to_status="returned", reason__contains="凭证号").exists()


def test_member_cannot_approve_and_leader_cannot_skip_office(team_unit, member, leader, leading_user):
    finding = services.finding_submit(finding=draft(member, team_unit), actor=member)
    with pytest.raises(PermissionDenied):
        services.finding_leader_approve(finding=finding, actor=member)
    finding = services.finding_leader_approve(finding=finding, actor=leader)
    with pytest.raises(PermissionDenied):
        services.finding_approve(finding=finding, actor=leader)
    with pytest.raises(DomainError):
        # the leading group's move exists, but not from 组长已审核: the office reviews first
        services.finding_approve(finding=finding, actor=leading_user)
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.LEADER_APPROVED


def test_member_edits_only_own_drafts(team_unit, member, other_member, leader):
    finding = draft(member, team_unit)
    with pytest.raises(PermissionDenied):
        services.finding_update(finding=finding, actor=other_member, title="改标题")
    with pytest.raises(PermissionDenied):
        services.finding_submit(finding=finding, actor=other_member)
    # the leader may edit the team's drafts
    assert services.finding_update(finding=finding, actor=leader, title="机关食堂违规吃喝").title == "机关食堂违规吃喝"


def test_submitted_finding_cannot_be_edited(team_unit, member):
    finding = services.finding_submit(finding=draft(member, team_unit), actor=member)
    with pytest.raises(PermissionDenied):
        services.finding_update(finding=finding, actor=member, title="偷偷改")


def test_other_team_cannot_file_for_this_unit(team_unit, outsider):
    with pytest.raises(DomainError) as excinfo:
        draft(outsider, team_unit)
    assert excinfo.value.field == "team_unit"


def test_filing_only_while_on_site_or_reporting(team_unit, member):
    team_unit.round.phase = Phase.RECTIFICATION
    team_unit.round.save()
    with pytest.raises(DomainError, match="进驻和报告阶段"):
        draft(member, team_unit)


def test_retired_category_cannot_be_chosen_but_keeps_its_findings(team_unit, member, office_user):
    category = manifestation("3.3.2")
    kept = draft(member, team_unit, category=category, title="违规收送购物卡", facts="春节期间收受购物卡价值3000元。")
    services.category_set_active(category=category, actor=office_user, active=False)
    with pytest.raises(DomainError) as excinfo:
        draft(member, team_unit, category=category, title="另一个问题", facts="完全不同的事实内容描述。")
    assert excinfo.value.field == "category"
    kept.refresh_from_db()
    assert kept.category_id == category.pk
    office = team_unit.round.jurisdiction_id
    assert category not in selectors.manifestations_in_use(office)
    # Retiring an aspect retires its manifestations for new use too.
    aspect = Category.objects.get(code="3.5")
    services.category_set_active(category=aspect, actor=office_user, active=False)
    assert not selectors.manifestations_in_use(office).filter(parent=aspect).exists()


def test_category_create_numbers_children_and_refuses_a_fourth_level(office_user):
    aspect = Category.objects.get(code="3.3")
    created = services.category_create(actor=office_user, name="违规操办婚丧喜庆事宜", parent=aspect)
    assert (created.code, created.level) == ("3.3.5", 3)
    with pytest.raises(DomainError):
        services.category_create(actor=office_user, name="第四级", parent=created)
    with pytest.raises(DomainError):
        services.category_create(actor=office_user, name="违规操办婚丧喜庆事宜", parent=aspect)


def test_member_cannot_edit_the_checklist(member):
    with pytest.raises(PermissionDenied):
        services.category_create(actor=member, name="新领域")


def test_duplicate_needs_confirmation(team_unit, member):
    draft(member, team_unit)
    with pytest.raises(DomainError) as excinfo:
        draft(member, team_unit, title="机关食堂违规公款吃喝问题")
    assert excinfo.value.field == "confirm_not_duplicate"
    assert "相似问题" in excinfo.value.message
    second = draft(member, team_unit, title="机关食堂违规公款吃喝问题", confirm_not_duplicate=True)
    assert second.duplicate_confirmed


def test_unrelated_finding_is_not_a_duplicate(team_unit, member):
    draft(member, team_unit)
    found = selectors.near_duplicates(
        member, unit_id=team_unit.unit_id, title="干部人事档案出生日期认定不规范",
        facts="抽查干部档案20卷，其中5卷出生日期前后不一致未经认定。",
    )
    assert found == []


def test_earlier_round_approved_findings_are_duplicates_but_other_teams_drafts_are_hidden(
    team_unit, member, jurisdiction
):
    earlier = FindingFactory(
        team_unit__team__round__jurisdiction=jurisdiction, team_unit__unit=team_unit.unit,
        title="机关食堂违规公款吃喝", status=FindingStatus.APPROVED, approved_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC),
    )
    FindingFactory(
        team_unit__team__round__jurisdiction=jurisdiction, team_unit__unit=team_unit.unit,
        title="机关食堂违规公款吃喝（草稿）", status=FindingStatus.DRAFT,
    )
    found = selectors.near_duplicates(member, unit_id=team_unit.unit_id, title="机关食堂违规公款吃喝")
    assert [d.finding.pk for d in found] == [earlier.pk]
    assert found[0].visible is False and found[0].similarity == 1.0


def test_withdraw_keeps_the_record(team_unit, member):
    finding = draft(member, team_unit)
    finding = services.finding_withdraw(finding=finding, actor=member, reason="与第3号问题合并")
    assert finding.status == FindingStatus.WITHDRAWN and finding.withdrawn_at
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_hearing_and_opinion_are_recorded(team_unit, member, leader):
    finding = draft(member, team_unit)
    hearing = services.hearing_add(
        finding=finding, actor=leader, explained_by="张局长（党组书记）", held_on=datetime.date(2026, 10, 20),
        explanation="部分宴请系上级检查接待。", team_response="未提供公函，不予采纳。", adopted=False,
    )
    opinion = services.opinion_add(
        finding=finding, actor=leader, department="县财政局", opinion="属于违规列支。",
        given_on=datetime.date(2026, 10, 21),
    )
    assert list(finding.hearings.all()) == [hearing]
    assert list(finding.opinions.all()) == [opinion]
    with pytest.raises(DomainError):
        services.hearing_add(
            finding=finding, actor=leader, explained_by="张局长", held_on=datetime.date(2099, 1, 1), explanation="x"
        )


def test_team_member_cannot_add_evidence_after_approval(team_unit, member, leader, office_user, leading_user):
    finding = walk_to_approved(draft(member, team_unit), member=member, leader=leader, office=office_user, leading=leading_user)
    with pytest.raises(PermissionDenied):
        services.hearing_add(
            finding=finding, actor=leader, explained_by="张局长", held_on=datetime.date(2026, 10, 20), explanation="补充说明"
        )
    assert services.hearing_add(
        finding=finding, actor=office_user, explained_by="张局长", held_on=datetime.date(2026, 10, 20), explanation="补充说明"
    )


def test_role_check_for_liaison(make_user, team_unit, member):
    liaison = make_user(Role.UNIT_LIAISON, unit=team_unit.unit)
    finding = draft(member, team_unit)
    # A liaison may not know a draft exists: the access core answers 404, as the page and the API do.
    with pytest.raises(Http404):
        services.finding_submit(finding=finding, actor=liaison)
