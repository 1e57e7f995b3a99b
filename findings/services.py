"""Every write to findings, their evidence and the checklist. One keyword-only function per business verb.

Status only changes here: each move re-reads the row under `select_for_update()`, checks the transition
table, sets its timestamps, writes a StatusChange row and gives django-simple-history the reason.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from inspection.audit.models import AuditEvent
from inspection.core import access
from inspection.core.batch import BatchResult, clean_ids, run_each
from inspection.core.dates import refuse_future
from inspection.core.exceptions import DomainError
from inspection.core.team_scope import team_scope
from rounds.models import Phase, TeamUnit

from . import notices, selectors
from .attachments import check_upload
from .models import (
    ApprovalMeeting,
    Attachment,
    Category,
    Finding,
    FindingStatus,
    Hearing,
    RetiredCategory,
    StatusChange,
    ThirdPartyOpinion,
    WorkingPaper,
)
from .workflow import AMENDABLE, EDITABLE, FINDING_WORKFLOW

# Findings are written while the team is on site and while the report is prepared.
FILING_PHASES = frozenset({Phase.ONSITE, Phase.REPORT})
FINDING_FIELDS = ("category", "title", "facts", "basis", "money_involved", "persons_involved", "fixed_on_site")
PAPER_FIELDS = ("description", "supporting_facts", "basis", "process_record")
MIN_REASON = 5


def _require_reason(reason: str, *, field="reason", what="原因") -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise DomainError(f"请填写{what}（不少于{MIN_REASON}个字）", field=field)
    return reason


def _check_category(category, jurisdiction_id):
    """A finding is filed under a manifestation of its own office's checklist, in force (never another office's
    own node, which answers exactly like a retired one)."""
    if category is None:
        raise DomainError("请选择问题分类", field="category")
    if not selectors.manifestations_in_use(jurisdiction_id).filter(pk=category.pk).exists():
        raise DomainError("请选择本机构问题清单中启用的第三级分类（具体表现）", field="category")


def _check_money(value):
    if value is not None and Decimal(value) < 0:
        raise DomainError("涉及金额不能为负数", field="money_involved")


def _check_duplicates(actor, *, unit_id, title, facts, confirmed, exclude_pk=None):
    if confirmed:
        return
    duplicates = selectors.near_duplicates(actor, unit_id=unit_id, title=title, facts=facts, exclude_pk=exclude_pk)
    if duplicates:
        raise DomainError(
            f"本单位已有 {len(duplicates)} 个相似问题（最高相似度 {duplicates[0].similarity:.0%}），"
            "请核对；确认不是重复问题后勾选“我已确认不是重复问题”再提交",
            field="confirm_not_duplicate",
        )


def _save_paper(finding, paper_fields: dict | None, reason: str = ""):
    if paper_fields is None:
        return
    paper = selectors.working_paper_of(finding) or WorkingPaper(finding=finding)
    for name in PAPER_FIELDS:
        if name in paper_fields:
            setattr(paper, name, (paper_fields[name] or "").strip())
    if reason:
        paper._change_reason = reason
    paper.save()


@transaction.atomic
def finding_create(
    *, actor, team_unit: TeamUnit, category, title, facts, basis, money_involved=None, persons_involved="",
    fixed_on_site=False, confirm_not_duplicate=False, working_paper: dict | None = None, uploads=(),
) -> Finding:
    """A draft finding, with its working paper and the files chosen on the draft form (`uploads`), in one
    transaction: a refused file leaves no draft behind."""
    access.require(actor, "add", Finding)
    if team_unit.round.phase not in FILING_PHASES:
        raise DomainError(
            f"该轮巡察处于“{team_unit.round.get_phase_display()}”阶段，只有进驻和报告阶段可以起草问题", field="team_unit"
        )
    if not actor.is_superuser and not TeamUnit.objects.filter(
        pk=team_unit.pk, team_id__in=team_scope(actor).team_ids()
    ).exists():
        raise DomainError("只能为本组负责的被巡察单位起草问题", field="team_unit")
    _check_category(category, team_unit.round.jurisdiction_id)
    _check_money(money_involved)
    _check_duplicates(
        actor, unit_id=team_unit.unit_id, title=title, facts=facts, confirmed=confirm_not_duplicate
    )
    finding = Finding(
        round_id=team_unit.round_id, jurisdiction_id=team_unit.round.jurisdiction_id, team_id=team_unit.team_id,
        unit_id=team_unit.unit_id, category=category, title=title.strip(), facts=facts.strip(), basis=basis.strip(), money_involved=money_involved,
        persons_involved=(persons_involved or "").strip(), fixed_on_site=fixed_on_site, created_by=actor,
        duplicate_confirmed=bool(confirm_not_duplicate),
    )
    finding.save()
    _save_paper(finding, working_paper or {})
    for uploaded in uploads:
        attachment_add(finding=finding, actor=actor, uploaded=uploaded)
    return finding


def _lock(finding) -> Finding:
    return Finding.objects.select_for_update().get(pk=finding.pk)


@transaction.atomic
def finding_update(
    *, finding, actor, confirm_not_duplicate=False, working_paper: dict | None = None, **changes
) -> Finding:
    """The drafting team edits a draft or a returned finding."""
    access.require(actor, "change", finding)
    finding = _lock(finding)
    if finding.status not in EDITABLE:
        raise DomainError(f"“{finding.get_status_display()}”状态的问题不能直接修改")
    _apply_changes(finding, changes)
    _check_duplicates(
        actor, unit_id=finding.unit_id, title=finding.title, facts=finding.facts,
        confirmed=confirm_not_duplicate or finding.duplicate_confirmed, exclude_pk=finding.pk,
    )
    if confirm_not_duplicate:
        finding.duplicate_confirmed = True
    finding.save()
    _save_paper(finding, working_paper)
    return finding


def _apply_changes(finding, changes):
    unknown = set(changes) - set(FINDING_FIELDS)
    if unknown:
        raise DomainError(f"不能修改字段：{'、'.join(sorted(unknown))}")
    if "category" in changes and changes["category"].pk != finding.category_id:
        _check_category(changes["category"], finding.jurisdiction_id)
    if "money_involved" in changes:
        _check_money(changes["money_involved"])
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(finding, name, value)
    for name in ("title", "facts", "basis"):
        if not getattr(finding, name):
            raise DomainError("此项不能为空", field=name)


@transaction.atomic
def finding_amend(*, finding, actor, reason, working_paper: dict | None = None, **changes) -> Finding:
    """不准随意推翻: after leading-group approval a change needs the office and a written reason, and every
    version stays in the history with that reason."""
    reason = _require_reason(reason, what="修改理由")
    access.require(actor, "amend", finding)
    finding = _lock(finding)
    if finding.status not in AMENDABLE:
        raise DomainError("只有领导小组已审定的问题走审定后修改程序")
    _apply_changes(finding, changes)
    finding._change_reason = f"审定后修改：{reason}"
    finding._audit_kind = AuditEvent.Kind.AMENDMENT  # audited as 更正, not a plain 修改
    finding._history_user = actor  # who amended, in the history and the audit, also outside a request
    finding.save()
    _save_paper(finding, working_paper, reason=f"审定后修改：{reason}")
    return finding


def _refused_move_message(finding, verb) -> str:
    """Why `verb` does not apply to the finding's status, read under the row lock. Mostly someone else moved the
    finding after the page was shown: of two leaders approving at once, the second waits on the lock until the first
    commits and then lands here; it is told who did what and when, not just that the status is wrong."""
    status = finding.get_status_display()
    last = finding.status_changes.select_related("actor").order_by("-at", "-id").first()
    if last is None:
        return f"“{status}”状态的问题不能执行此操作"
    done = FINDING_WORKFLOW.get(last.from_status, last.to_status)
    done_label = done.label if done else f"变更为“{last.get_to_status_display()}”"
    by = f"该问题已由{last.actor}于{timezone.localtime(last.at):%Y-%m-%d %H:%M}{done_label}"
    same = FINDING_WORKFLOW.by_verb(last.from_status, verb)
    if same is not None and same.target == last.to_status:
        return f"{by}，请勿重复操作"
    wanted = next((t.label for t in FINDING_WORKFLOW.transitions if t.verb == verb), verb)
    return f"{by}，现为“{status}”状态，不能再{wanted}，请刷新页面"


@transaction.atomic
def _move(*, finding, actor, verb, reason="") -> Finding:
    access.require(actor, verb, finding)
    finding = _lock(finding)
    transition = FINDING_WORKFLOW.by_verb(finding.status, verb)
    if transition is None:
        raise DomainError(_refused_move_message(finding, verb))
    FINDING_WORKFLOW.check(finding.status, transition.target, actor.role, is_superuser=actor.is_superuser)
    if transition.needs_reason:
        reason = _require_reason(reason)
    now = timezone.now()
    source = finding.status
    finding.status = transition.target
    if transition.target == FindingStatus.SUBMITTED:
        finding.submitted_at = now
    elif transition.target == FindingStatus.APPROVED:
        finding.approved_at = now
    elif transition.target == FindingStatus.RETURNED:
        finding.returned_reason = reason
    elif transition.target == FindingStatus.WITHDRAWN:
        finding.withdrawn_at = now
        finding.withdrawn_reason = reason
    finding._change_reason = f"{transition.label}" + (f"：{reason}" if reason else "")
    finding.save()
    StatusChange.objects.create(
        finding=finding, from_status=source, to_status=transition.target, actor=actor, reason=reason
    )
    notices.finding_moved(finding, actor=actor, reason=reason)
    return finding


def finding_submit(*, finding, actor) -> Finding:
    return _move(finding=finding, actor=actor, verb="submit")


def finding_leader_approve(*, finding, actor) -> Finding:
    return _move(finding=finding, actor=actor, verb="leader_approve")


def finding_return(*, finding, actor, reason) -> Finding:
    return _move(finding=finding, actor=actor, verb="return", reason=reason)


def finding_office_review(*, finding, actor) -> Finding:
    return _move(finding=finding, actor=actor, verb="office_review")


def finding_approve(*, finding, actor) -> Finding:
    return _move(finding=finding, actor=actor, verb="approve")


def finding_withdraw(*, finding, actor, reason) -> Finding:
    return _move(finding=finding, actor=actor, verb="withdraw", reason=reason)


VERB_SERVICES = {
    "submit": finding_submit,
    "leader_approve": finding_leader_approve,
    "return": finding_return,
    "office_review": finding_office_review,
    "approve": finding_approve,
    "withdraw": finding_withdraw,
}


def finding_transition(*, finding, actor, verb, reason="") -> Finding:
    service = VERB_SERVICES.get(verb)
    if service is None:
        raise DomainError("未知的操作", field="verb")
    if verb in ("return", "withdraw"):
        return service(finding=finding, actor=actor, reason=reason)
    return service(finding=finding, actor=actor)


# --- Batch moves (issue 16 item 3): one service per batch verb, the single-item service per item --------------


def _meeting_for(*, actor, name, number, held_on) -> ApprovalMeeting:
    """The leading-group meeting of a batch approval: registered on first use, found again by its number (one office
    approves several batches at one meeting); a number already registered with another name or date is refused."""
    name, number = (name or "").strip(), (number or "").strip()
    if not name:
        raise DomainError("请填写会议名称", field="meeting_name")
    if not number:
        raise DomainError("请填写会议编号", field="meeting_number")
    if held_on is None:
        raise DomainError("请填写会议日期", field="meeting_date")
    refuse_future(held_on, field="meeting_date", label="会议日期")
    if actor.jurisdiction_id is None:
        raise DomainError("您的账号未设置所属巡察机构，不能登记领导小组会议")
    meetings = ApprovalMeeting.objects.select_for_update()
    meeting = meetings.filter(jurisdiction_id=actor.jurisdiction_id, number=number).first()
    if meeting is None:
        try:
            with transaction.atomic():
                return ApprovalMeeting.objects.create(
                    jurisdiction_id=actor.jurisdiction_id, name=name, number=number, held_on=held_on, recorded_by=actor
                )
        except IntegrityError:  # registered by someone else in between: use theirs, checked like any other
            meeting = meetings.get(jurisdiction_id=actor.jurisdiction_id, number=number)
    if meeting.name != name or meeting.held_on != held_on:
        raise DomainError(
            f"会议编号“{number}”已登记为{meeting.name}（{meeting.held_on:%Y-%m-%d}），请核对会议名称和日期",
            field="meeting_number",
        )
    return meeting


def _label(finding) -> str:
    return f"{finding.title}（{finding.unit.name}）"


@transaction.atomic
def findings_batch_approve(*, actor, ids, meeting_name, meeting_number, meeting_date) -> BatchResult:
    """领导小组会议审定: approve the chosen findings at one meeting. Each goes through `finding_approve` (its own
    status change and history); the meeting is named on each approval's status change. Refused ones are reported
    with the single service's reason; with none approved, the meeting is not registered either."""
    ids = clean_ids(ids)
    access.require(actor, "approve", Finding)
    meeting = _meeting_for(actor=actor, name=meeting_name, number=meeting_number, held_on=meeting_date)

    def approve(finding):
        approved = finding_approve(finding=finding, actor=actor)
        StatusChange.objects.filter(
            pk=approved.status_changes.order_by("-id").values("pk")[:1]
        ).update(meeting=meeting)
        return approved

    result = run_each(
        ids, visible=access.visible(actor, Finding.objects.select_related("unit")), act=approve, label=_label
    )
    if not result.succeeded:
        transaction.set_rollback(True)
    result.record = meeting if result.succeeded else None
    return result


def findings_batch_office_review(*, actor, ids) -> BatchResult:
    """巡察办批量审核: each chosen finding through `finding_office_review`, refused ones reported with its reason."""
    ids = clean_ids(ids)
    access.require(actor, "office_review", Finding)
    return run_each(
        ids, visible=access.visible(actor, Finding.objects.select_related("unit")),
        act=lambda finding: finding_office_review(finding=finding, actor=actor), label=_label,
    )


# --- Evidence: attachments, hearings, third-party opinions -------------------------------------------------


@transaction.atomic
def attachment_add(*, finding, actor, uploaded, description="") -> Attachment:
    access.require(actor, "add_evidence", finding)
    checked = check_upload(uploaded)
    attachment = Attachment(
        finding=finding, original_name=checked.original_name, content_type=checked.content_type,
        extension=checked.extension, size=checked.size, sha256=checked.sha256,
        description=(description or "").strip()[:200], uploaded_by=actor,
    )
    attachment.file.save(checked.original_name, uploaded, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def hearing_add(*, finding, actor, explained_by, held_on, explanation, team_response="", adopted=False) -> Hearing:
    access.require(actor, "add_evidence", finding)
    if not (explained_by or "").strip():
        raise DomainError("请填写说明人", field="explained_by")
    if not (explanation or "").strip():
        raise DomainError("请填写解释说明内容", field="explanation")
    refuse_future(held_on, field="held_on", label="说明日期")
    return Hearing.objects.create(
        finding=finding, explained_by=explained_by.strip(), held_on=held_on, explanation=explanation.strip(),
        team_response=(team_response or "").strip(), adopted=adopted, recorded_by=actor,
    )


@transaction.atomic
def opinion_add(*, finding, actor, department, opinion, given_on, uploaded=None) -> ThirdPartyOpinion:
    access.require(actor, "add_evidence", finding)
    if not (department or "").strip():
        raise DomainError("请填写认定部门", field="department")
    if not (opinion or "").strip():
        raise DomainError("请填写认定意见", field="opinion")
    refuse_future(given_on, field="given_on", label="认定日期")
    attachment = None
    if uploaded is not None:
        attachment = attachment_add(
            finding=finding, actor=actor, uploaded=uploaded, description=f"{department.strip()}认定文书"
        )
    return ThirdPartyOpinion.objects.create(
        finding=finding, department=department.strip(), opinion=opinion.strip(), given_on=given_on,
        attachment=attachment, recorded_by=actor,
    )


# --- The checklist -------------------------------------------------------------------------------------------


def _checklist_owner(actor) -> int | None:
    if not actor.is_superuser and actor.jurisdiction_id is None:
        raise DomainError("您的账号未设置所属巡察机构，不能维护问题分类")
    return selectors.checklist_owner_id(actor)


def _lock_default_roots():
    """Creating an area: numbering reads every area of the default tree and of the office. Locking the default
    areas serializes all root creations, the province's and every office's, so two never take one code (the
    per-owner unique constraint is the backstop)."""
    list(Category.objects.select_for_update().filter(parent__isnull=True, owner__isnull=True).values_list("pk"))


def _next_number(codes) -> int:
    numbers = [int(c.rsplit(".", 1)[-1]) for c in codes if c.rsplit(".", 1)[-1].isdigit()]
    return max(numbers, default=0) + 1


@transaction.atomic
def category_create(*, actor, name, parent=None, order=None) -> Category:
    """Add a node to the actor's checklist: the province office (or a superuser) adds to the default tree,
    any other office adds its own node, under a default node or one of its own."""
    access.require(actor, "add", Category)
    owner_id = _checklist_owner(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写名称", field="name")
    seen = selectors.checklist_nodes(owner_id)
    if parent is not None:
        # Locked: children of one parent are numbered one at a time, whoever adds them.
        parent = seen.select_for_update().filter(pk=parent.pk).first()
        if parent is None:
            raise DomainError("上级分类不存在", field="parent")
        if parent.level >= Category.Level.MANIFESTATION:
            raise DomainError("具体表现下不能再添加下级分类", field="parent")
        if not selectors.effective_checklist(owner_id).filter(pk=parent.pk).exists():
            raise DomainError("已停用的分类下不能添加下级分类", field="parent")
    else:
        _lock_default_roots()
    siblings = seen.filter(parent=parent)
    if siblings.filter(name=name).exists():
        raise DomainError("同一上级下已有同名分类", field="name")
    # Codes are never reused, even of retired nodes, so old reports keep meaning the same thing. An office
    # numbers after the default siblings and its own; the default tree after every office's, so that a default
    # node added later never takes a code an office already uses.
    numbered = Category.objects.filter(parent=parent) if owner_id is None else siblings
    prefix = f"{parent.code}." if parent else ""
    code = f"{prefix}{_next_number(numbered.values_list('code', flat=True))}"
    if order is None:
        order = (siblings.aggregate(m=Max("order"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            return Category.objects.create(
                owner_id=owner_id, parent=parent, level=(parent.level + 1) if parent else Category.Level.AREA,
                code=code, name=name, order=order,
            )
    except IntegrityError as exc:
        # Only the per-owner code constraints can fail here: someone took the code in between.
        raise DomainError(f"编号 {code} 刚被他人占用，请重新提交", field="name") from exc


def _lock_category(category) -> Category:
    return Category.objects.select_for_update().get(pk=category.pk)


def _refuse_default(actor, category, owner_id):
    if not actor.is_superuser and category.owner_id != owner_id:
        raise DomainError(
            "默认问题清单由省级巡察机构统一维护，本机构不能修改；可停用该项（仅对本机构生效）并添加本机构的分类",
            field="name",
        )


@transaction.atomic
def category_update(*, category, actor, name, order) -> Category:
    """Rename or reorder a node of the actor's own checklist (the default tree is the province office's)."""
    access.require(actor, "change", category)
    owner_id = _checklist_owner(actor)
    category = _lock_category(category)
    _refuse_default(actor, category, owner_id)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写名称", field="name")
    siblings = selectors.checklist_nodes(category.owner_id).filter(parent_id=category.parent_id)
    if siblings.filter(name=name).exclude(pk=category.pk).exists():
        raise DomainError("同一上级下已有同名分类", field="name")
    category.name = name
    category.order = order
    category.save()
    return category


def _parent_in_force(category, jurisdiction_id) -> bool:
    return category.parent_id is None or (
        selectors.effective_checklist(jurisdiction_id).filter(pk=category.parent_id).exists()
    )


@transaction.atomic
def category_set_active(*, category, actor, active: bool) -> Category:
    """Retire or restore a node. Retiring keeps every finding filed under it; it only stops new use.

    The owner of a node (the province office for the default tree, an office for its own nodes) retires it for
    everyone who uses it. An office retiring a default node retires it for itself only (a RetiredCategory
    row); other offices keep it."""
    access.require(actor, "change", category)
    owner_id = _checklist_owner(actor)
    category = _lock_category(category)
    if actor.is_superuser or category.owner_id == owner_id:
        if category.is_active == active:
            return category
        if active and not _parent_in_force(category, category.owner_id):
            raise DomainError("上级分类已停用，请先启用上级分类")
        category.is_active = active
        category.save()
        return category
    in_force = RetiredCategory.objects.filter(jurisdiction_id=owner_id, category=category, restored_at__isnull=True)
    retirement = in_force.first()
    if active:
        if not category.is_active:
            raise DomainError("该分类已由省级巡察机构停用，本机构不能启用")
        if retirement is not None:
            if not _parent_in_force(category, owner_id):
                raise DomainError("上级分类已停用，请先启用上级分类")
            retirement.restored_at = timezone.now()
            retirement.restored_by = actor
            retirement.save()
    elif retirement is None:
        RetiredCategory.objects.create(jurisdiction_id=owner_id, category=category, retired_by=actor)
    return category
