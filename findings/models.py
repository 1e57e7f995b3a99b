import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Category(models.Model):
    """The checklist tree (巡察工作清单): area → aspect → manifestation. Retired nodes keep their findings.

    `owner` NULL is the province's default tree, which every office adopts and only the province office (or a
    superuser) edits; otherwise the node is an office's own addition, seen by that office alone. An office
    hides a default node for itself with a `RetiredCategory` row. `findings.selectors.effective_checklist` is
    the one answer to "which nodes does office X use"."""

    class Level(models.IntegerChoices):
        AREA = 1, "领域"
        ASPECT = 2, "方面"
        MANIFESTATION = 3, "具体表现"

    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    owner = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name="所属巡察机构", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False, help_text="空为全省默认清单；否则为该巡察机构自行增加的分类，仅本机构可见",
    )
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    # Unique per owner, and an office's codes never repeat a default one (the numbering reads both under a lock).
    code = models.CharField("编号", max_length=20, help_text="如 1、1.2、1.2.3")
    name = models.CharField("名称", max_length=200)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True, help_text="停用的分类不能再用于新问题，已归入的问题保留")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "问题分类"
        verbose_name_plural = "问题分类"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True) | models.Q(level__gt=1, parent__isnull=False),
                name="category_parent_matches_level",
            ),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(owner__isnull=True), name="category_default_code_unique"
            ),
            models.UniqueConstraint(
                fields=["owner", "code"], condition=models.Q(owner__isnull=False), name="category_owner_code_unique"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_default(self) -> bool:
        return self.owner_id is None


class RetiredCategory(models.Model):
    """An office's retirement of a default checklist node for itself only (停用，仅对本机构生效). Restoring sets
    `restored_at`; the row stays, and retiring again adds a new one."""

    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name="巡察机构", on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(Category, verbose_name="问题分类", on_delete=models.PROTECT, related_name="retirements")
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="停用人", on_delete=models.PROTECT, related_name="+"
    )
    retired_at = models.DateTimeField("停用时间", auto_now_add=True)
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="恢复人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    restored_at = models.DateTimeField("恢复时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "本机构停用的默认分类"
        verbose_name_plural = "本机构停用的默认分类"
        ordering = ["-retired_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "category"], condition=models.Q(restored_at__isnull=True),
                name="retired_category_one_in_force",
            ),
            models.CheckConstraint(
                condition=models.Q(restored_at__isnull=True, restored_by__isnull=True)
                | models.Q(restored_at__isnull=False, restored_by__isnull=False),
                name="retired_category_restored_with_actor",
            ),
        ]

    def __str__(self):
        return f"{self.jurisdiction} 停用 {self.category}"


class FindingStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待组长审核"
    LEADER_APPROVED = "leader_approved", "组长已审核"
    OFFICE_REVIEWED = "office_reviewed", "巡察办已审核"
    APPROVED = "approved", "领导小组已审定"
    RETURNED = "returned", "已退回"
    WITHDRAWN = "withdrawn", "已撤回"


class Finding(models.Model):
    """One problem in one unit of a round (巡察发现问题). Status moves only through `findings.services`."""

    round = models.ForeignKey("rounds.Round", verbose_name="轮次", on_delete=models.PROTECT, related_name="findings")
    # The round's jurisdiction, copied so that "this office's findings, newest first" is one index walk
    # (through the round, PostgreSQL walks every office's findings backwards: 5 s at province scale).
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name="管辖范围", on_delete=models.PROTECT, related_name="+", editable=False
    )
    team = models.ForeignKey("rounds.Team", verbose_name="巡察组", on_delete=models.PROTECT, related_name="findings")
    unit = models.ForeignKey("units.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="findings")
    category = models.ForeignKey(
        Category, verbose_name="问题分类", on_delete=models.PROTECT, related_name="findings",
        limit_choices_to={"level": 3},
    )
    title = models.CharField("问题标题", max_length=200)
    facts = models.TextField("问题事实")
    basis = models.TextField("定性依据", help_text="违反的具体规定，如《中国共产党纪律处分条例》第X条")
    money_involved = models.DecimalField("涉及金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    persons_involved = models.CharField("涉及人员", max_length=300, blank=True)
    fixed_on_site = models.BooleanField("立行立改（边巡边改）", default=False)
    status = models.CharField("状态", max_length=20, choices=FindingStatus.choices, default=FindingStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="findings_created"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_reason = models.TextField("撤回原因", blank=True)
    returned_reason = models.TextField("退回原因", blank=True, help_text="最近一次退回的原因，重新提交后保留以备查")
    duplicate_confirmed = models.BooleanField("已确认不是重复问题", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "巡察发现问题"
        verbose_name_plural = "巡察发现问题"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["round", "unit", "status"], name="finding_round_unit_status"),
            models.Index(fields=["jurisdiction", "-id"], name="finding_jurisdiction_recent"),
            models.Index(fields=["jurisdiction", "status", "-id"], name="finding_jurisdiction_status"),
            models.Index(fields=["unit", "status"], name="finding_unit_status"),
            models.Index(fields=["team", "status"], name="finding_team_status"),
            models.Index(fields=["category"], name="finding_category"),
            # The checklist page counts an office's findings per category: an index-only walk of its own rows.
            models.Index(fields=["jurisdiction", "category"], name="finding_jurisdiction_category"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(approved_at__isnull=False),
                name="finding_approved_has_timestamp",
            ),
            models.CheckConstraint(
                condition=models.Q(status="withdrawn", withdrawn_at__isnull=False)
                | (~models.Q(status="withdrawn") & models.Q(withdrawn_at__isnull=True)),
                name="finding_withdrawn_iff_timestamp",
            ),
        ]

    def __str__(self):
        return self.title


class ApprovalMeeting(models.Model):
    """领导小组会议: the leading-group meeting at which a set of findings was approved (审定). Each approval made at
    it names it on its status change (`StatusChange.meeting`); one office registers a meeting number once."""

    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name="巡察机构", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("会议名称", max_length=200, help_text="如：县委巡察工作领导小组2026年第5次会议")
    number = models.CharField("会议编号", max_length=50, help_text="如：2026年第5次")
    held_on = models.DateField("会议日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "领导小组会议"
        verbose_name_plural = "领导小组会议"
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "number"], name="approval_meeting_number_unique"),
        ]

    def __str__(self):
        return f"{self.name}（{self.number}，{self.held_on:%Y-%m-%d}）"


class StatusChange(models.Model):
    """One row per status change of a finding: from, to, who, when, why (and, for an approval made at a
    leading-group meeting, which meeting)."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=20, choices=FindingStatus.choices)
    to_status = models.CharField("新状态", max_length=20, choices=FindingStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("原因", blank=True)
    meeting = models.ForeignKey(
        ApprovalMeeting, verbose_name="审定会议", null=True, blank=True, on_delete=models.PROTECT,
        related_name="approvals",
    )

    class Meta:
        verbose_name = "问题状态变更"
        verbose_name_plural = "问题状态变更"
        ordering = ["at", "id"]


def attachment_upload_to(instance, filename):
    """A random stored name: the original (often Chinese) name lives in `original_name`, never on disk."""
    return f"findings/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class WorkingPaper(models.Model):
    """问题底稿: 问题有描述、事实有支撑、定性有依据、过程有记录. One per finding."""

    finding = models.OneToOneField(Finding, verbose_name="问题", on_delete=models.PROTECT, related_name="working_paper")
    description = models.TextField("问题描述", blank=True)
    supporting_facts = models.TextField("事实支撑", blank=True, help_text="查阅的账册、凭证、会议记录、谈话笔录等")
    basis = models.TextField("定性依据", blank=True)
    process_record = models.TextField("过程记录", blank=True, help_text="何时、何人、以何种方式核实")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "问题底稿"
        verbose_name_plural = "问题底稿"

    def __str__(self):
        return f"{self.finding}的底稿"


class Attachment(models.Model):
    """Evidence file of a finding. Stored under MEDIA_ROOT (outside the web root), served only by a checked view."""

    finding = models.ForeignKey(Finding, verbose_name="问题", on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=120)
    extension = models.CharField("扩展名", max_length=10)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    description = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "问题附件"
        verbose_name_plural = "问题附件"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class Hearing(models.Model):
    """听取解释说明: the unit head or the person concerned explains before the leading group decides."""

    finding = models.ForeignKey(Finding, verbose_name="问题", on_delete=models.PROTECT, related_name="hearings")
    explained_by = models.CharField("说明人", max_length=100, help_text="姓名及职务")
    held_on = models.DateField("说明日期")
    explanation = models.TextField("解释说明内容")
    team_response = models.TextField("巡察组意见", blank=True)
    adopted = models.BooleanField("是否采纳", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "听取解释说明"
        verbose_name_plural = "听取解释说明"
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"{self.explained_by} {self.held_on:%Y-%m-%d}"


class ThirdPartyOpinion(models.Model):
    """第三方认定: a professional department's opinion on a technical finding."""

    finding = models.ForeignKey(Finding, verbose_name="问题", on_delete=models.PROTECT, related_name="opinions")
    department = models.CharField("认定部门", max_length=120)
    opinion = models.TextField("认定意见")
    given_on = models.DateField("认定日期")
    attachment = models.ForeignKey(
        Attachment, verbose_name="认定文书", null=True, blank=True, on_delete=models.PROTECT, related_name="opinions"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "第三方认定"
        verbose_name_plural = "第三方认定"
        ordering = ["given_on", "id"]

    def __str__(self):
        return f"{self.department} {self.given_on:%Y-%m-%d}"
