"""Who may see and act on findings, their checklist and their evidence.

office / leading_group: their jurisdiction. team_leader / team_member: their own teams' findings only
(a member edits and submits their own drafts; the leader reviews the whole team's). discipline /
organization: read-only, and only what they need to know (`receiver_findings`). unit_liaison: nothing here,
ever — a unit sees its approved findings through rectification, never a draft.
"""

from django.db.models import Q

from inspection.accounts.models import Role
from inspection.accounts.roles import INSPECTORS, OFFICE, OVERSIGHT, RECEIVERS, TEAM
from inspection.core import access
from inspection.core.team_scope import team_scope

from .models import Attachment, Category, Finding, FindingStatus, Hearing, ThirdPartyOpinion, WorkingPaper
from .workflow import AMEND_ROLES, AMENDABLE, EDITABLE, FINDING_WORKFLOW, VERBS, roles_for_verb


def receiver_findings(user, queryset):
    """Discipline and organization (纪委监委, 组织部) read an approved finding of their jurisdiction only when they
    have a reason to: it is behind a lead referred to their body (once the batch is sent), or it is on the
    problem list of a feedback whose rectification they oversee. The reasons are registered by the apps that
    know them (`referrals`, `rectification`) with `access.register_need_to_know("findings", ...)`; with none
    registered they read nothing. A finding withdrawn after approval is no longer a problem of the county and
    leaves their view with it (the lead keeps its own summary)."""
    reasons = access.need_to_know_ids(user, "findings")
    if not reasons:
        return queryset.none()
    reached = Q(pk__in=reasons[0])
    for ids in reasons[1:]:
        reached |= Q(pk__in=ids)
    return queryset.filter(reached, jurisdiction_id=user.jurisdiction_id, status=FindingStatus.APPROVED)


def scope_findings(user, queryset):
    if user.role in OVERSIGHT:
        return queryset.filter(jurisdiction_id=user.jurisdiction_id)
    if user.role in TEAM:
        # The team's findings during the round's own work (members until the report, leaders until the feedback),
        # about units the team still has: once the unit's assignment is withdrawn (调整出组), the team's right to see
        # and act on that unit's findings ends with it (DOMAIN.md, need-to-know has a time).
        scope = team_scope(user)
        return queryset.filter(team_id__in=scope.team_ids()).filter(scope.covers(round="round_id", unit="unit_id"))
    if user.role in RECEIVERS:
        return receiver_findings(user, queryset)
    return queryset.none()


def _owns_or_leads(user, finding) -> bool:
    # Team scope is already checked by `scope`; inside it a member acts on their own drafts only.
    return user.role != Role.TEAM_MEMBER or finding.created_by_id == user.pk


@access.register
class FindingPolicy(access.Policy):
    model = Finding
    permissions = {
        "view": INSPECTORS | RECEIVERS,
        "add": frozenset(TEAM),
        "change": frozenset(TEAM),
        "amend": AMEND_ROLES,
        "add_evidence": TEAM | OFFICE,
        "unit_report": INSPECTORS,
        **{verb: roles_for_verb(verb) for verb in VERBS},
    }

    def scope(self, user, queryset):
        return scope_findings(user, queryset)

    def check_object(self, user, action, obj):
        if action == "change":
            return obj.status in EDITABLE and _owns_or_leads(user, obj)
        if action == "amend":
            return obj.status in AMENDABLE
        if action == "add_evidence":
            if obj.status == FindingStatus.WITHDRAWN:
                return False
            # After approval the record is the leading group's decision: only the office adds to it.
            return obj.status != FindingStatus.APPROVED or user.role in OFFICE
        if action in VERBS:
            # The same verb may belong to different roles depending on the status (withdrawing a draft is the
            # team's, withdrawing an approved finding the office's). A move that does not exist from this
            # status is left to the service, which answers with the Chinese reason.
            transition = FINDING_WORKFLOW.by_verb(obj.status, action)
            if transition is not None and user.role not in transition.roles:
                return False
            if user.role in TEAM:
                return _owns_or_leads(user, obj)
        return True


class _FindingChildPolicy(access.Policy):
    """Evidence of a finding is visible exactly where its finding is."""

    permissions = {"view": INSPECTORS | RECEIVERS}

    def scope(self, user, queryset):
        return queryset.filter(finding__in=scope_findings(user, Finding.objects.all()))


@access.register
class WorkingPaperPolicy(_FindingChildPolicy):
    model = WorkingPaper


@access.register
class AttachmentPolicy(_FindingChildPolicy):
    model = Attachment


@access.register
class HearingPolicy(_FindingChildPolicy):
    model = Hearing


@access.register
class ThirdPartyOpinionPolicy(_FindingChildPolicy):
    model = ThirdPartyOpinion


@access.register
class CategoryPolicy(access.Policy):
    """The checklist: the default tree and the user's own office's nodes, never another office's. Every
    inspector reads it; the office maintains its own nodes (the services keep the default tree to the province
    office)."""

    model = Category
    permissions = {"view": INSPECTORS | RECEIVERS, "add": OFFICE, "change": OFFICE}

    def scope(self, user, queryset):
        return queryset.filter(Q(owner__isnull=True) | Q(owner_id=user.jurisdiction_id))
