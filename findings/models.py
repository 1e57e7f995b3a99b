from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Category(models.Model):
    """The checklist tree (巡察工作清单): area → aspect → manifestation. Retired nodes keep their findings."""

    class Level(models.IntegerChoices):
        AREA = 1, "领域"
        ASPECT = 2, "方面"
        MANIFESTATION = 3, "具体表现"

    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    code = models.CharField("编号", max_length=20, unique=True, help_text="如 1、1.2、1.2.3")
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
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


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
    history = HistoricalRecords()

    class Meta:
        verbose_name = "巡察发现问题"
        verbose_name_plural = "巡察发现问题"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["round", "unit", "status"], name="finding_round_unit_status"),
            models.Index(fields=["unit", "status"], name="finding_unit_status"),
            models.Index(fields=["team", "status"], name="finding_team_status"),
            models.Index(fields=["category"], name="finding_category"),
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


class StatusChange(models.Model):
    """One row per status change of a finding: from, to, who, when, why."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=20, choices=FindingStatus.choices)
    to_status = models.CharField("新状态", max_length=20, choices=FindingStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("原因", blank=True)

    class Meta:
        verbose_name = "问题状态变更"
        verbose_name_plural = "问题状态变更"
        ordering = ["at", "id"]
