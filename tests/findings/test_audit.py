"""The audit of findings' work through the generic hooks (安全审计, issue 15 item 3): each move of the workflow is a
状态变更, a change after approval is a 更正, an evidence download a 下载; a generated document is 打印/生成文书."""

from django.urls import reverse

from findings import services
from inspection.audit.models import AuditEvent
from inspection.exports import registry
from inspection.exports.services import generated_file_request

from . import factories
from .test_services import draft, walk_to_approved

Kind = AuditEvent.Kind


def rows(kind, obj):
    return list(
        AuditEvent.objects.filter(kind=kind, object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id")
    )


def test_every_move_of_a_finding_is_a_status_change_row(team_unit, member, leader, office_user, leading_user):
    finding = walk_to_approved(draft(member, team_unit), member=member, leader=leader, office=office_user,
                               leading=leading_user)
    moves = [(r.user_id, r.role, r.detail, r.object_label) for r in rows(Kind.TRANSITION, finding)]
    assert moves == [
        (member.pk, "team_member", "草稿 → 待组长审核", finding.title),
        (leader.pk, "team_leader", "待组长审核 → 组长已审核", finding.title),
        (office_user.pk, "office", "组长已审核 → 巡察办已审核", finding.title),
        (leading_user.pk, "leading_group", "巡察办已审核 → 领导小组已审定", finding.title),
    ]
    [created] = rows(Kind.CREATE, finding)
    assert created.outcome == "success" and created.detail.startswith("历史记录 #")


def test_a_change_after_approval_is_an_amendment(team_unit, member, leader, office_user, leading_user):
    finding = walk_to_approved(draft(member, team_unit), member=member, leader=leader, office=office_user,
                               leading=leading_user)
    services.finding_amend(finding=finding, actor=office_user, reason="核减金额，依据财政局认定", money_involved="9300.00")
    [amendment] = rows(Kind.AMENDMENT, finding)
    assert (amendment.get_kind_display(), amendment.user_id, amendment.role) == ("更正", office_user.pk, "office")
    history = finding.history.order_by("-history_id").first()
    assert amendment.detail == f"历史记录 #{history.history_id}"


def test_an_evidence_download_names_the_attachment(client, team_unit, member):
    finding = draft(member, team_unit)
    attachment = factories.stored_attachment(finding, member, original_name="凭证.pdf")
    client.force_login(member)
    response = client.get(reverse("findings:attachment_download", args=[attachment.pk]), HTTP_X_REQUEST_ID="dl-1")
    assert response.status_code == 200
    [row] = rows(Kind.DOWNLOAD, attachment)
    assert (row.user_id, row.role, row.request_id, row.get_kind_display()) == (member.pk, "team_member", "dl-1", "下载")


def test_a_generated_document_is_audited_when_requested_and_when_downloaded(office_client, office_user, team_unit,
                                                                            django_capture_on_commit_callbacks):
    registry.register("test.audit_card", title="单位卡片", model="units.Unit",
                      render=lambda unit, progress: (b"card", "card.txt", "text/plain"))
    unit = team_unit.unit
    with django_capture_on_commit_callbacks(execute=True):
        generated = generated_file_request(kind="test.audit_card", record=unit, user=office_user)
    [document] = rows(Kind.DOCUMENT, unit)
    assert (document.user_id, document.detail, document.get_kind_display()) == (
        office_user.pk, "单位卡片（第1版）", "打印/生成文书"
    )
    assert office_client.get(f"/files/download/{generated.pk}/").status_code == 200
    generated.refresh_from_db()
    [download] = rows(Kind.DOWNLOAD, generated)
    assert (download.user_id, download.object_label, download.detail) == (office_user.pk, str(generated), "card.txt")
