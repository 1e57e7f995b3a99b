"""Demo leads and referral batches for 清河县: every status, in believable Chinese.

Reads from the shared context: users ('office', 'jiwei', 'zuzhibu'), receiving_bodies, referral_round,
rectification_round (or rounds), approved_findings and petitions when the earlier seeds provide them.
Anything missing is skipped: the demo still runs while other apps are being built.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from rounds.models import Petition

from . import services
from .models import Lead, LeadSource, Referral

PEOPLE = [
    # name, post, rank, summary
    ("王某某", "县住建局副局长", "副科级",
     "反映其在城区老旧小区改造项目中为亲属承揽工程提供帮助，并收受工程老板所送购物卡。"),
    ("李某某", "城关镇党委副书记", "副科级",
     "反映其在征地补偿款发放中优亲厚友，违规为其亲属多报补偿面积。"),
    ("张某某", "县医院总务科科长", "股级",
     "反映其在医疗设备采购中指定品牌、规避招标，涉嫌收受供应商好处费。"),
    ("赵某某", "县交通运输局财务股股长", "股级",
     "反映其多次以虚列会议费、培训费方式套取资金用于单位违规发放福利。"),
    ("刘某某", "县农业农村局党组成员", "副科级",
     "反映其违规插手高标准农田建设项目分包，与项目承建方存在经济往来。"),
    ("陈某某", "县教育局人事股股长", "股级",
     "反映其在教师招聘资格审查中为不符合条件人员违规放宽条件。"),
    ("杨某某", "某乡党委组织委员", "副科级",
     "反映其在村“两委”换届中搞“带病提拔”，对候选人资格把关不严。"),
    ("黄某某", "县国有资产投资公司副总经理", "副科级",
     "反映其违规将国有资产低价出租给关联企业，造成国有资产流失。"),
    ("周某某", "县市场监管局执法大队大队长", "股级",
     "反映其在执法检查中对相关企业违规“打招呼”、降低处罚标准。"),
    ("吴某某", "县水利局副局长", "副科级",
     "反映其在河道清淤项目验收中把关不严，虚增工程量。"),
    ("郑某某", "县财政局预算股副股长", "股级",
     "反映其违规经商办企业，借工作便利为本人持股企业承揽业务。"),
]


def _at(day: date):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _backdate(referral, *, sent_on, signed_on=None):
    """Move the timestamps of a demo batch back to the story's dates (statuses are set by the services)."""
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=_at(sent_on), **({"signed_at": _at(signed_on)} if signed_on else {})
    )
    leads = Lead.objects.filter(referral=referral)
    leads.update(referred_at=_at(sent_on))
    if signed_on:
        leads.update(received_at=_at(signed_on))


def _pick_findings(context, round):
    findings = [f for f in context.get("approved_findings") or [] if round is not None and f.round_id == round.pk]
    return findings


def _make_lead(office, round, person, *, finding=None, petition=None, source_detail=""):
    name, post, rank, summary = person
    if petition is not None:
        return services.lead_create(
            actor=office, round=round, source=LeadSource.PETITION, petition=petition,
            subject_name=petition.subject_person or name, subject_post=petition.subject_post or post,
            subject_rank=rank, summary=petition.summary,
        )
    if finding is not None:
        return services.lead_create(
            actor=office, round=round, source=LeadSource.FINDING, finding=finding,
            subject_name=name, subject_post=post, subject_rank=rank,
            summary=f"{summary}（见巡察发现问题：{finding.title}）",
        )
    return services.lead_create(
        actor=office, round=round, source=LeadSource.OTHER, source_detail=source_detail or "个别谈话中反映",
        subject_name=name, subject_post=post, subject_rank=rank, summary=summary,
    )


def seed(context: dict) -> dict:
    users = context.get("users") or {}
    office, jiwei, zuzhibu = users.get("office"), users.get("jiwei"), users.get("zuzhibu")
    bodies = context.get("receiving_bodies") or {}
    discipline, organization = bodies.get("discipline"), bodies.get("organization")
    rounds = list(context.get("rounds") or [])
    older = context.get("rectification_round") or (rounds[-1] if rounds else None)
    recent = context.get("referral_round") or (rounds[0] if rounds else None)
    if not all([office, jiwei, zuzhibu, discipline, organization, older, recent]):
        return context
    if Lead.objects.filter(jurisdiction_id=office.jurisdiction_id).exists():
        return context  # already seeded

    # A fixed cast: the disposition notes below name these people.
    people = PEOPLE
    today = timezone.localdate()
    older_findings = _pick_findings(context, older)
    recent_findings = _pick_findings(context, recent)
    petitions = [p for p in context.get("petitions") or [] if p.round_id == recent.pk]
    untrue = next((p for p in petitions if p.conclusion == Petition.Conclusion.UNTRUE), None)
    true_petition = next((p for p in petitions if p.conclusion in (Petition.Conclusion.TRUE,
                                                                    Petition.Conclusion.PARTLY_TRUE)), None)

    def finding_or_none(findings):
        return findings.pop(0) if findings else None

    # 1. The earlier round, to the discipline commission: signed long ago; concluded, disposed, overdue.
    case = _make_lead(office, older, people[0], finding=finding_or_none(older_findings))
    talk = _make_lead(office, older, people[1], finding=finding_or_none(older_findings))
    checking = _make_lead(office, older, people[2], source_detail="调阅财务凭证时发现")
    overdue = _make_lead(office, older, people[3], finding=finding_or_none(older_findings))
    sent_on, signed_on = today - timedelta(days=130), today - timedelta(days=126)
    batch = services.batch_create(
        actor=office, receiving_body=discipline, letter_number=f"清巡办移〔{sent_on.year}〕12号",
        letter_date=sent_on, leads=[case, talk, checking, overdue],
        title=f"关于移交县委{older.title}发现问题线索的函",
        notes="请按规定分类处置，处置情况及时反馈县委巡察办。",
    )
    services.batch_send(referral=batch, actor=office)
    services.batch_sign(referral=batch, actor=jiwei, today=signed_on)
    _backdate(batch, sent_on=sent_on, signed_on=signed_on)
    services.lead_dispose(lead=case, actor=jiwei, kind="case_opened", decided_on=signed_on + timedelta(days=40),
                          note="经初步核实，决定对王某某等人立案审查调查。")
    services.lead_record_results(lead=case, actor=jiwei, results=[
        {"kind": "party_discipline", "people_count": 2, "money_recovered": "326800.00",
         "note": "给予党内严重警告处分1人、党内警告处分1人，收缴违纪款32.68万元。"},
        {"kind": "state_discipline", "people_count": 1, "note": "给予政务记过处分1人。"},
    ])
    services.lead_dispose(lead=talk, actor=jiwei, kind="talk", decided_on=signed_on + timedelta(days=25),
                          note="对李某某进行谈话函询，其作出书面说明。")
    services.lead_record_results(lead=talk, actor=jiwei, results=[
        {"kind": "admonition", "people_count": 1, "note": "说明不实，予以诫勉谈话。"},
    ])
    services.lead_dispose(lead=checking, actor=jiwei, kind="preliminary", decided_on=signed_on + timedelta(days=60),
                          note="已成立初核组，调取相关合同和银行流水。")
    # `overdue` stays received: its disposition was due 90 days after signing, well before today.

    # 2. The earlier round, to the organization department: one concluded, one pending within its time.
    promoted = _make_lead(office, older, people[6], source_detail="选人用人专项检查")
    hiring = _make_lead(office, older, people[5], source_detail="选人用人专项检查")
    sent_on2, signed_on2 = today - timedelta(days=40), today - timedelta(days=38)
    batch2 = services.batch_create(
        actor=office, receiving_body=organization, letter_number=f"清巡办移〔{sent_on2.year}〕13号",
        letter_date=sent_on2, leads=[promoted, hiring], title="关于移交选人用人方面问题的函",
    )
    services.batch_send(referral=batch2, actor=office)
    services.batch_sign(referral=batch2, actor=zuzhibu, today=signed_on2)
    _backdate(batch2, sent_on=sent_on2, signed_on=signed_on2)
    services.lead_dispose(lead=promoted, actor=zuzhibu, kind="preliminary", decided_on=signed_on2 + timedelta(days=20))
    services.lead_record_results(lead=promoted, actor=zuzhibu, results=[
        {"kind": "organizational", "people_count": 1, "note": "对杨某某作出调整岗位的组织处理。"},
        {"kind": "admonition", "people_count": 1, "note": "对负有把关责任的乡党委书记诫勉。"},
    ])

    # 3. The recent round, to the discipline commission: sent, not yet signed; includes an untrue petition.
    recent_leads = [_make_lead(office, recent, people[4], finding=finding_or_none(recent_findings))]
    if untrue is not None:
        recent_leads.append(_make_lead(office, recent, people[7], petition=untrue))
    if true_petition is not None:
        recent_leads.append(_make_lead(office, recent, people[2], petition=true_petition))
    sent_on3 = today - timedelta(days=5)
    batch3 = services.batch_create(
        actor=office, receiving_body=discipline, letter_number=f"清巡办移〔{sent_on3.year}〕3号",
        letter_date=sent_on3, leads=recent_leads, title=f"关于移交县委{recent.title}发现问题线索的函",
        notes="其中经巡察组了解核实不属实的信访件一并附结论，请参考。",
    )
    services.batch_send(referral=batch3, actor=office)
    _backdate(batch3, sent_on=sent_on3)

    # 4. A draft batch to another department, two leads still registered, one withdrawn.
    other = bodies.get("other")
    drafted = _make_lead(office, recent, people[9], source_detail="专项审计移送")
    if other is not None:
        services.batch_create(
            actor=office, receiving_body=other, letter_number=f"清巡办移〔{today.year}〕4号", letter_date=today,
            leads=[drafted], title="关于移交工程项目结算问题的函",
        )
    _make_lead(office, recent, people[10], finding=finding_or_none(recent_findings))
    _make_lead(office, recent, people[8], source_detail="巡察组调阅执法案卷时发现")
    duplicate = _make_lead(office, recent, people[0], source_detail="个别谈话中反映")
    services.lead_withdraw(lead=duplicate, actor=office, reason="与已移交的线索反映同一问题，重复登记，予以撤销。")

    context["referrals"] = [batch, batch2, batch3]
    return context
