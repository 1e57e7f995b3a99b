"""Notices at the handoffs of a finding's review (issue 16): called by `services._move` inside its transaction.

Each move tells exactly the people whose turn it is, filtered through `FindingPolicy` (team, unit assignment in
force, round phase): submitted → the team's leader and deputies, reviewed by the leader → the office, reviewed by the
office → the leading group, returned → its author, approved → its author. Titles name the finding's number, title
and unit, never a person."""

from django.urls import reverse

from inspection.accounts import selectors as account_selectors
from inspection.accounts.services import notify_actors
from rounds.models import Membership
from rounds.selectors import team_users

from .models import FindingStatus

LEADER_POSITIONS = (Membership.Position.LEADER, Membership.Position.DEPUTY)


def finding_moved(finding, *, actor, reason=""):
    """The notice of the move that just put `finding` in its current status (no notice for a withdrawal)."""
    label = f"问题#{finding.pk}“{finding.title}”（{finding.unit.name}）"
    url = reverse("findings:finding_detail", args=[finding.pk])
    status = finding.status
    if status == FindingStatus.SUBMITTED:
        candidates, action = team_users(finding.team_id, positions=LEADER_POSITIONS), "leader_approve"
        title, body = f"待组长审核：{label}", f"{actor}提交了问题，请审核。"
    elif status == FindingStatus.LEADER_APPROVED:
        candidates, action = account_selectors.office_users(finding.jurisdiction_id), "office_review"
        title, body = f"待巡察办审核：{label}", f"组长{actor}已审核通过，请巡察办审核。"
    elif status == FindingStatus.OFFICE_REVIEWED:
        candidates, action = account_selectors.leading_group_users(finding.jurisdiction_id), "approve"
        title, body = f"待领导小组审定：{label}", "巡察办已审核通过，请领导小组审定。"
    elif status == FindingStatus.RETURNED:
        candidates, action = [finding.created_by], "submit"
        title, body = f"问题被退回修改：{label}", f"{actor}退回了该问题，原因：{reason}。请修改后重新提交。"
    elif status == FindingStatus.APPROVED:
        candidates, action = [finding.created_by], "view"
        title, body = f"问题已审定：{label}", "领导小组已审定该问题。"
    else:
        return []
    return notify_actors(candidates=candidates, action=action, obj=finding, title=title, body=body, url=url)
