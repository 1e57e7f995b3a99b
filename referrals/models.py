from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from inspection.core import masking
from inspection.core.fields import BlindIndexField, EncryptedCharField


class LeadStatus(models.TextChoices):
    REGISTERED = "registered", "已登记"
    REFERRED = "referred", "已移交"
    RECEIVED = "received", "已签收"
    DISPOSED = "disposed", "已处置"
    CONCLUDED = "concluded", "已办结"
    WITHDRAWN = "withdrawn", "已撤销"


class LeadSource(models.TextChoices):
    FINDING = "finding", "巡察发现问题"
    PETITION = "petition", "信访件"
    OTHER = "other", "其他（个别谈话、调阅资料等）"


class PetitionConclusion(models.TextChoices):
    """A copy of the petition's conclusion at the time the lead was made, so the receiver does not re-check it."""

    NONE = "", "—"
    PENDING = "pending", "尚未了结"
    TRUE = "true", "属实"
    PARTLY_TRUE = "partly_true", "部分属实"
    UNTRUE = "untrue", "不属实"
    UNVERIFIABLE = "unverifiable", "无法查证"


class DispositionKind(models.TextChoices):
    TALK = "talk", "谈话函询"
    PRELIMINARY = "preliminary", "初步核实"
    SHELVED = "shelved", "暂存待查"
    CLOSED = "closed", "予以了结"
    CASE_OPENED = "case_opened", "立案审查调查"


class ResultKind(models.TextChoices):
    PARTY_DISCIPLINE = "party_discipline", "党纪处分"
    STATE_DISCIPLINE = "state_discipline", "政务处分"
    ORGANIZATIONAL = "organizational", "组织处理"
    ADMONITION = "admonition", "诫勉谈话"
    JUDICIAL = "judicial", "移送司法"
    ACCOUNTABILITY = "accountability", "问责"
    CLARIFIED = "clarified", "澄清"


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "待发送"
    SENT = "sent", "已发送待签收"
    SIGNED = "signed", "已签收"


class Referral(models.Model):
    """A batch of leads handed to one receiving body (移交), with its letter (移交函) and receipt (签收)."""

    jurisdiction = models.ForeignKey("accounts.Jurisdiction", verbose_name="管辖范围", on_delete=models.PROTECT)
    receiving_body = models.ForeignKey(
        "accounts.ReceivingBody", verbose_name="接收单位", on_delete=models.PROTECT, related_name="referrals"
    )
    letter_number = models.CharField("移交函文号", max_length=60, help_text="如：清巡办移〔2026〕3号")
    letter_date = models.DateField("移交日期")
    title = models.CharField("移交函标题", max_length=200)
    notes = models.TextField("移交说明", blank=True)
    status = models.CharField("状态", max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="referrals_created"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签收人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_signed",
    )
    letter_pdf = models.FileField("移交函（PDF）", upload_to="referrals/letters/%Y/", blank=True)
    letter_rendered_at = models.DateTimeField("移交函生成时间", null=True, blank=True)
    # Reminders go out at most once a day per batch; the date of the last one is kept here.
    last_reminded_on = models.DateField("最近催签日期", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_reminded_on"])

    class Meta:
        verbose_name = "移交批次"
        verbose_name_plural = "移交批次"
        ordering = ["-letter_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "letter_number"], name="referral_unique_letter_number"),
            models.CheckConstraint(
                condition=models.Q(status="draft", sent_at__isnull=True)
                | (~models.Q(status="draft") & models.Q(sent_at__isnull=False)),
                name="referral_sent_iff_timestamp",
            ),
            models.CheckConstraint(
                condition=models.Q(status="signed", signed_at__isnull=False, signed_by__isnull=False)
                | (~models.Q(status="signed") & models.Q(signed_at__isnull=True)),
                name="referral_signed_iff_timestamp",
            ),
        ]
        indexes = [models.Index(fields=["receiving_body", "status"], name="referral_body_status")]

    def __str__(self):
        return f"{self.letter_number} {self.title}"


class Lead(models.Model):
    """A problem lead about a named person (问题线索). Secret: only the office, the leading group and the
    addressed receiver read it; every read is logged. Status moves only through `referrals.services`."""

    jurisdiction = models.ForeignKey("accounts.Jurisdiction", verbose_name="管辖范围", on_delete=models.PROTECT)
    round = models.ForeignKey("rounds.Round", verbose_name="轮次", on_delete=models.PROTECT, related_name="leads")
    team = models.ForeignKey(
        "rounds.Team", verbose_name="发现线索的巡察组", null=True, blank=True, on_delete=models.PROTECT,
        related_name="leads",
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name="涉及被巡察单位", null=True, blank=True, on_delete=models.PROTECT,
        related_name="leads",
    )
    source = models.CharField("线索来源", max_length=10, choices=LeadSource.choices)
    finding = models.ForeignKey(
        "findings.Finding", verbose_name="来源问题", null=True, blank=True, on_delete=models.PROTECT,
        related_name="leads",
    )
    petition = models.ForeignKey(
        "rounds.Petition", verbose_name="来源信访件", null=True, blank=True, on_delete=models.PROTECT,
        related_name="leads",
    )
    source_detail = models.CharField("来源说明", max_length=200, blank=True)
    subject_name = EncryptedCharField("被反映人姓名", max_length=50, kind=masking.NAME)
    subject_name_index = BlindIndexField("被反映人姓名（盲索引）", source="subject_name")
    subject_post = models.CharField("被反映人职务", max_length=100, blank=True)
    subject_unit = models.CharField("被反映人单位", max_length=120, blank=True)
    subject_rank = models.CharField("被反映人职级", max_length=40, blank=True)
    summary = models.TextField("问题线索摘要")
    petition_conclusion = models.CharField(
        "信访件办理结论", max_length=20, choices=PetitionConclusion.choices, blank=True, default=""
    )
    petition_conclusion_text = models.TextField("信访件结论说明", blank=True)
    status = models.CharField("状态", max_length=10, choices=LeadStatus.choices, default=LeadStatus.REGISTERED)
    referral = models.ForeignKey(
        Referral, verbose_name="移交批次", null=True, blank=True, on_delete=models.PROTECT, related_name="leads"
    )
    referred_at = models.DateTimeField("移交时间", null=True, blank=True)
    received_at = models.DateTimeField("签收时间", null=True, blank=True)
    disposition_due_on = models.DateField("处置报告期限", null=True, blank=True)
    disposed_at = models.DateTimeField("处置时间", null=True, blank=True)
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)
    last_reminded_on = models.DateField("最近催办日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="leads_created"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["last_reminded_on"])

    class Meta:
        verbose_name = "问题线索"
        verbose_name_plural = "问题线索"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["jurisdiction", "status"], name="lead_jurisdiction_status"),
            # "This office's leads, newest first" as one index walk (the default ordering is -id).
            models.Index(fields=["jurisdiction", "-id"], name="lead_jurisdiction_recent"),
            models.Index(fields=["round", "status"], name="lead_round_status"),
            models.Index(fields=["team", "status"], name="lead_team_status"),
            models.Index(fields=["status", "disposition_due_on"], name="lead_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source="finding") | models.Q(finding__isnull=False),
                name="lead_finding_source_has_finding",
            ),
            models.CheckConstraint(
                condition=~models.Q(source="petition") | models.Q(petition__isnull=False),
                name="lead_petition_source_has_petition",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["registered", "withdrawn"]) | models.Q(referred_at__isnull=False),
                name="lead_referred_has_timestamp",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["received", "disposed", "concluded"])
                | models.Q(received_at__isnull=False, disposition_due_on__isnull=False),
                name="lead_received_has_timestamp",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["disposed", "concluded"]) | models.Q(disposed_at__isnull=False),
                name="lead_disposed_has_timestamp",
            ),
            models.CheckConstraint(
                condition=models.Q(status="concluded", concluded_at__isnull=False)
                | (~models.Q(status="concluded") & models.Q(concluded_at__isnull=True)),
                name="lead_concluded_iff_timestamp",
            ),
            models.CheckConstraint(
                condition=models.Q(status="withdrawn", withdrawn_at__isnull=False)
                | (~models.Q(status="withdrawn") & models.Q(withdrawn_at__isnull=True)),
                name="lead_withdrawn_iff_timestamp",
            ),
        ]

    def __str__(self):
        # Never the subject's name: this text reaches admin titles, messages, notifications and the read log.
        return f"线索{self.pk}"


class Disposition(models.Model):
    """What the receiver decided to do with a lead (处置方式), recorded once."""

    lead = models.OneToOneField(Lead, verbose_name="问题线索", on_delete=models.PROTECT, related_name="disposition")
    kind = models.CharField("处置方式", max_length=20, choices=DispositionKind.choices)
    decided_on = models.DateField("处置日期")
    note = models.TextField("处置情况说明", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT)
    recorded_at = models.DateTimeField("填报时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "线索处置"
        verbose_name_plural = "线索处置"
        ordering = ["-id"]
        indexes = [models.Index(fields=["kind"], name="disposition_kind")]

    def __str__(self):
        return f"{self.lead}：{self.get_kind_display()}"


class Result(models.Model):
    """One kind of outcome of a lead (查处结果): how many people, how much money recovered."""

    lead = models.ForeignKey(Lead, verbose_name="问题线索", on_delete=models.PROTECT, related_name="results")
    kind = models.CharField("结果类别", max_length=20, choices=ResultKind.choices)
    people_count = models.PositiveSmallIntegerField("涉及人数", default=0)
    money_recovered = models.DecimalField("挽回经济损失/收缴资金（元）", max_digits=16, decimal_places=2, default=0)
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT)
    recorded_at = models.DateTimeField("填报时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "查处结果"
        verbose_name_plural = "查处结果"
        ordering = ["lead_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lead", "kind"], name="result_unique_kind_per_lead"),
            models.CheckConstraint(condition=models.Q(money_recovered__gte=0), name="result_money_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.people_count}人"


class LeadStatusChange(models.Model):
    """One row per status change of a lead: from, to, who, when, why."""

    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=10, choices=LeadStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=10, choices=LeadStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "线索状态变更"
        verbose_name_plural = "线索状态变更"
        ordering = ["at", "id"]


class ReferralStatusChange(models.Model):
    """One row per status change of a referral batch."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=10, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=10, choices=ReferralStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "移交批次状态变更"
        verbose_name_plural = "移交批次状态变更"
        ordering = ["at", "id"]
