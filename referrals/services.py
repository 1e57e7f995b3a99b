"""Writes of the referrals app: one function per business verb, each in a transaction, each writing a
status-change row. Nothing else changes `Lead.status` or `Referral.status`."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from inspection.accounts.models import Role
from inspection.accounts.roles import RECEIVERS
from inspection.accounts.services import notification_create
from inspection.core.dates import refuse_future
from inspection.core.exceptions import DomainError
from rounds.models import Phase
from rounds.workflow import LEAD_PHASES

from . import notices, selectors
from .models import (
    Disposition,
    DispositionKind,
    Lead,
    LeadSource,
    LeadStatus,
    LeadStatusChange,
    PetitionConclusion,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Result,
    ResultKind,
)
from .workflow import LEAD_TRANSITIONS, REFERRAL_TRANSITIONS

DEFAULT_LETTER_TITLE = "关于移交巡察发现问题线索的函"


def _check(table, source, target, actor):
    return table.check(source, target, actor.role, is_superuser=actor.is_superuser)


def _lead_move(lead, target, actor, reason="", **timestamps):
    source = lead.status
    lead.status = target
    for field, value in timestamps.items():
        setattr(lead, field, value)
    lead._change_reason = reason or LEAD_TRANSITIONS.get(source, target).label
    lead.save()
    LeadStatusChange.objects.create(lead=lead, from_status=source, to_status=target, actor=actor, reason=reason)


def _referral_move(referral, target, actor, reason="", **fields):
    source = referral.status
    referral.status = target
    for field, value in fields.items():
        setattr(referral, field, value)
    referral._change_reason = reason or REFERRAL_TRANSITIONS.get(source, target).label
    referral.save()
    ReferralStatusChange.objects.create(
        referral=referral, from_status=source, to_status=target, actor=actor, reason=reason
    )


def _require_receiver_of(actor, referral):
    # The role table says "a receiver"; this says "the receiver this batch is addressed to".
    if actor.is_superuser:
        return
    if actor.role not in RECEIVERS or actor.receiving_body_id != referral.receiving_body_id:
        raise DomainError("该移交批次不是移交给您所在单位的")


@transaction.atomic
def lead_create(
    *,
    actor,
    round,
    source,
    subject_name="",
    subject_post="",
    subject_unit="",
    subject_rank="",
    summary="",
    source_detail="",
    finding=None,
    petition=None,
    unit=None,
) -> Lead:
    if source not in LeadSource.values:
        raise DomainError("请选择线索来源", field="source")
    if not actor.is_superuser and round.jurisdiction_id != actor.jurisdiction_id:
        raise DomainError("该轮次不属于您的管辖范围", field="round")
    team = None
    if source == LeadSource.FINDING:
        if finding is None:
            raise DomainError("来源为巡察发现问题时，请选择来源问题", field="finding")
        if finding.round_id != round.pk:
            raise DomainError("所选问题不属于该轮次", field="finding")
        team, unit = finding.team, finding.unit
        petition = None
    elif source == LeadSource.PETITION:
        if petition is None:
            raise DomainError("来源为信访件时，请选择来源信访件", field="petition")
        if petition.round_id != round.pk:
            raise DomainError("所选信访件不属于该轮次", field="petition")
        team, unit = petition.team, petition.unit or unit
        finding = None
        subject_name = subject_name or petition.subject_person
        subject_post = subject_post or petition.subject_post
        summary = summary or petition.summary
    else:
        finding = petition = None

    if actor.role == Role.TEAM_LEADER and not actor.is_superuser:
        own_teams = set(selectors.teams_led_by(actor, round))
        if not own_teams:
            if round.phase not in LEAD_PHASES:
                raise DomainError(
                    f"本轮已进入“{round.get_phase_display()}”阶段，巡察组只能在“{Phase(LEAD_PHASES[-1]).label}”"
                    "阶段结束前登记本组的问题线索，此后由巡察办登记",
                    field="round",
                )
            raise DomainError("您不是该轮次巡察组的组长或副组长", field="round")
        if team is None:
            team = next(iter(own_teams)) if len(own_teams) == 1 else None
        if team is None or team.pk not in {t.pk for t in own_teams}:
            raise DomainError("只能登记本组发现的问题线索", field=source if source != LeadSource.OTHER else "round")

    subject_name = (subject_name or "").strip()
    summary = (summary or "").strip()
    if not subject_name:
        raise DomainError("请填写被反映人姓名", field="subject_name")
    if not summary:
        raise DomainError("请填写问题线索摘要", field="summary")

    lead = Lead(
        jurisdiction_id=round.jurisdiction_id,
        round=round,
        team=team,
        unit=unit,
        source=source,
        finding=finding,
        petition=petition,
        source_detail=source_detail,
        subject_name=subject_name,
        subject_post=subject_post,
        subject_unit=subject_unit or (unit.name if unit is not None else ""),
        subject_rank=subject_rank,
        summary=summary,
        created_by=actor,
    )
    if petition is not None:
        # The receiver must see what the team concluded, so it does not check an untrue report again.
        lead.petition_conclusion = (
            petition.conclusion if petition.conclusion in PetitionConclusion.values else ""
        )
        lead.petition_conclusion_text = petition.conclusion_text
    lead._change_reason = "登记问题线索"
    lead.save()
    LeadStatusChange.objects.create(
        lead=lead, from_status="", to_status=LeadStatus.REGISTERED, actor=actor, reason="登记问题线索"
    )
    return lead


@transaction.atomic
def lead_withdraw(*, lead, actor, reason) -> Lead:
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if not (reason or "").strip():
        raise DomainError("撤销线索须说明理由", field="reason")
    _check(LEAD_TRANSITIONS, lead.status, LeadStatus.WITHDRAWN, actor)
    # A withdrawn lead leaves the draft batch it sat in; sent batches never hold registered leads.
    _lead_move(lead, LeadStatus.WITHDRAWN, actor, reason, withdrawn_at=timezone.now(), referral=None)
    return lead


@transaction.atomic
def batch_create(
    *, actor, receiving_body, letter_number, letter_date, leads, title="", notes=""
) -> Referral:
    jurisdiction_id = actor.jurisdiction_id
    if receiving_body.jurisdiction_id != jurisdiction_id and not actor.is_superuser:
        raise DomainError("接收单位不属于您的管辖范围", field="receiving_body")
    jurisdiction_id = receiving_body.jurisdiction_id
    if not receiving_body.is_active:
        raise DomainError("该接收单位已停用", field="receiving_body")
    refuse_future(letter_date, field="letter_date", label="移交日期")
    letter_number = (letter_number or "").strip()
    if not letter_number:
        raise DomainError("请填写移交函文号", field="letter_number")
    if Referral.objects.filter(jurisdiction_id=jurisdiction_id, letter_number=letter_number).exists():
        raise DomainError("该文号已被使用", field="letter_number")
    lead_ids = sorted({lead.pk for lead in leads})
    if not lead_ids:
        raise DomainError("请至少选择一条问题线索", field="leads")
    locked = list(Lead.objects.select_for_update().filter(pk__in=lead_ids))
    if len(locked) != len(lead_ids):
        raise DomainError("所选线索不存在", field="leads")
    for lead in locked:
        if lead.jurisdiction_id != jurisdiction_id:
            raise DomainError(f"{lead}不属于您的管辖范围", field="leads")
        if lead.status != LeadStatus.REGISTERED or lead.referral_id is not None:
            raise DomainError(f"{lead}已列入其他移交批次或不是待移交状态", field="leads")
    try:
        with transaction.atomic():
            referral = Referral(
                jurisdiction_id=jurisdiction_id,
                receiving_body=receiving_body,
                letter_number=letter_number,
                letter_date=letter_date,
                title=(title or "").strip() or DEFAULT_LETTER_TITLE,
                notes=notes,
                created_by=actor,
            )
            referral._change_reason = "创建移交批次"
            referral.save()
    except IntegrityError as exc:
        raise DomainError("该文号已被使用", field="letter_number") from exc
    for lead in locked:
        # Saved one by one so each lead's history shows when it joined the batch.
        lead.referral = referral
        lead._change_reason = f"列入移交批次{letter_number}"
        lead.save(update_fields=["referral"])
    ReferralStatusChange.objects.create(
        referral=referral, from_status="", to_status=ReferralStatus.DRAFT, actor=actor, reason="创建移交批次"
    )
    return referral


@transaction.atomic
def batch_send(*, referral, actor) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _check(REFERRAL_TRANSITIONS, referral.status, ReferralStatus.SENT, actor)
    leads = list(referral.leads.select_for_update().filter(status=LeadStatus.REGISTERED))
    if not leads:
        raise DomainError("该批次没有可移交的问题线索")
    now = timezone.now()
    for lead in leads:
        _check(LEAD_TRANSITIONS, lead.status, LeadStatus.REFERRED, actor)
        _lead_move(lead, LeadStatus.REFERRED, actor, f"随{referral.letter_number}移交{referral.receiving_body}",
                   referred_at=now)
    _referral_move(referral, ReferralStatus.SENT, actor, f"移交{referral.receiving_body}", sent_at=now)
    for user in selectors.receiver_users(referral.receiving_body_id):
        notification_create(
            user=user,
            title=f"新的问题线索移交待签收：{referral.letter_number}",
            body=f"{referral.jurisdiction.office_name}移交问题线索{len(leads)}件，请及时签收。",
            url=selectors.referral_url(referral),
        )
    referral_id = referral.pk
    transaction.on_commit(lambda: _enqueue_render(referral_id))
    return referral


def _enqueue_render(referral_id):
    from .tasks import render_letter

    render_letter.delay(referral_id)


@transaction.atomic
def batch_sign(*, referral, actor, today=None) -> Referral:
    referral = Referral.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=referral.pk)
    _require_receiver_of(actor, referral)
    _check(REFERRAL_TRANSITIONS, referral.status, ReferralStatus.SIGNED, actor)
    now = timezone.now()
    today = today or timezone.localdate()
    due = today + datetime.timedelta(days=referral.jurisdiction.disposition_due_days)
    for lead in referral.leads.select_for_update().filter(status=LeadStatus.REFERRED):
        _check(LEAD_TRANSITIONS, lead.status, LeadStatus.RECEIVED, actor)
        _lead_move(lead, LeadStatus.RECEIVED, actor, f"{referral.receiving_body}签收", received_at=now,
                   disposition_due_on=due)
    _referral_move(referral, ReferralStatus.SIGNED, actor, "签收", signed_at=now, signed_by=actor)
    return referral


@transaction.atomic
def lead_dispose(*, lead, actor, kind, decided_on=None, note="") -> Disposition:
    lead = Lead.objects.select_for_update(of=("self",)).select_related("referral").get(pk=lead.pk)
    if lead.referral_id is None:
        raise DomainError("该线索尚未移交")
    _require_receiver_of(actor, lead.referral)
    _check(LEAD_TRANSITIONS, lead.status, LeadStatus.DISPOSED, actor)
    if kind not in DispositionKind.values:
        raise DomainError("请选择处置方式", field="kind")
    decided_on = decided_on or timezone.localdate()
    refuse_future(decided_on, field="decided_on", label="处置日期")
    if lead.received_at and decided_on < timezone.localtime(lead.received_at).date():
        raise DomainError("处置日期不能早于签收日期", field="decided_on")
    disposition = Disposition(lead=lead, kind=kind, decided_on=decided_on, note=note, recorded_by=actor)
    disposition._change_reason = "填报处置方式"
    disposition.save()
    _lead_move(lead, LeadStatus.DISPOSED, actor, DispositionKind(kind).label, disposed_at=timezone.now())
    notices.lead_moved(lead, actor=actor, what=DispositionKind(kind).label)
    return disposition


def _clean_results(results):
    cleaned, seen = [], set()
    for item in results:
        kind = item.get("kind")
        if kind not in ResultKind.values:
            raise DomainError("结果类别无效", field="results")
        if kind in seen:
            raise DomainError(f"“{ResultKind(kind).label}”重复填报", field="results")
        seen.add(kind)
        try:
            people = int(item.get("people_count") or 0)
            money = Decimal(str(item.get("money_recovered") or 0))
        except (TypeError, ValueError, InvalidOperation) as exc:
            raise DomainError("人数或金额格式不正确", field="results") from exc
        if people < 0 or money < 0 or people > 10000:
            raise DomainError("人数和金额不能为负数", field="results")
        if people == 0 and money == 0 and kind != ResultKind.CLARIFIED:
            continue
        cleaned.append({"kind": kind, "people_count": people, "money_recovered": money,
                        "note": item.get("note", "") or ""})
    if not cleaned:
        raise DomainError("请至少填报一项查处结果（人数或金额）", field="results")
    return cleaned


@transaction.atomic
def lead_record_results(*, lead, actor, results, reason="") -> list[Result]:
    lead = Lead.objects.select_for_update(of=("self",)).select_related("referral").get(pk=lead.pk)
    if lead.referral_id is None:
        raise DomainError("该线索尚未移交")
    _require_receiver_of(actor, lead.referral)
    _check(LEAD_TRANSITIONS, lead.status, LeadStatus.CONCLUDED, actor)
    rows = []
    for item in _clean_results(results):
        row = Result(lead=lead, recorded_by=actor, **item)
        row._change_reason = "填报查处结果"
        row.save()
        rows.append(row)
    summary = "、".join(f"{r.get_kind_display()}{r.people_count}人" for r in rows)
    _lead_move(lead, LeadStatus.CONCLUDED, actor, reason or summary, concluded_at=timezone.now())
    notices.lead_moved(lead, actor=actor, what=summary)
    return rows


@transaction.atomic
def referral_render_letter(*, referral) -> Referral:
    from .documents import referral_letter_pdf

    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    content = referral_letter_pdf(referral)
    name = f"移交函-{referral.pk}.pdf"
    if referral.letter_pdf:
        # The old rendering is kept on disk (nothing is deleted); the batch points at the newest one.
        referral.letter_pdf = None
    referral.letter_pdf.save(name, ContentFile(content), save=False)
    referral.letter_rendered_at = timezone.now()
    referral._change_reason = "生成移交函"
    referral.save()
    return referral


def referrals_remind_unsigned(*, today=None) -> int:
    """Remind the receivers of every sent, unsigned batch; at most once per batch per day."""
    today = today or timezone.localdate()
    sent = 0
    pending = Referral.objects.filter(status=ReferralStatus.SENT).exclude(last_reminded_on=today)
    for referral_id in pending.values_list("pk", flat=True):
        with transaction.atomic():
            referral = (
                Referral.objects.select_for_update(of=("self",)).select_related("jurisdiction").filter(
                    pk=referral_id, status=ReferralStatus.SENT
                ).exclude(last_reminded_on=today).first()
            )
            if referral is None:
                continue
            days = (today - timezone.localtime(referral.sent_at).date()).days
            for user in selectors.receiver_users(referral.receiving_body_id):
                notification_create(
                    user=user,
                    title=f"移交批次待签收：{referral.letter_number}",
                    body=f"{referral.jurisdiction.office_name}移交的问题线索已发送{days}天，尚未签收，请及时签收。",
                    url=selectors.referral_url(referral),
                )
            Referral.objects.filter(pk=referral.pk).update(last_reminded_on=today)
            sent += 1
    return sent


def leads_remind_overdue(*, today=None) -> int:
    """Remind receivers (and the office) of dispositions past due; each lead at most once a day."""
    today = today or timezone.localdate()
    reminded = 0
    with transaction.atomic():
        overdue = list(
            selectors.overdue_leads(today=today).exclude(last_reminded_on=today).select_for_update(of=("self",))
            .select_related("referral__receiving_body", "jurisdiction")
        )
        by_body = {}
        for lead in overdue:
            by_body.setdefault(lead.referral.receiving_body, []).append(lead)
        for body, leads in by_body.items():
            # Lead numbers, never the subjects' names: a notification is read outside the logged pages
            # (the list of notifications, the admin) and kept after the reader's need-to-know ends.
            numbers = "、".join(str(lead) for lead in leads[:10]) + ("等" if len(leads) > 10 else "")
            for user in selectors.receiver_users(body.pk):
                notification_create(
                    user=user,
                    title=f"问题线索处置逾期：{len(leads)}件",
                    body=f"以下线索已超过处置报告期限：{numbers}，请尽快处置并反馈。",
                    url=selectors.workspace_url(),
                )
            for user in selectors.office_users(body.jurisdiction_id):
                notification_create(
                    user=user,
                    title=f"{body.name}有{len(leads)}件问题线索处置逾期",
                    body=f"涉及：{numbers}。",
                    url=selectors.overdue_url(),
                )
        Lead.objects.filter(pk__in=[lead.pk for lead in overdue]).update(last_reminded_on=today)
        reminded = len(overdue)
    return reminded
