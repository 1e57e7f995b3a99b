"""Rectification (整改): feedback → plan → tasks → progress → closing, reminders, disclosure, evaluation, look-back.

Statuses move only through `rectification.services`; the allowed moves are the tables in `workflow.py`.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


class Feedback(models.Model):
    """巡察反馈: the meeting and letter that hand a unit its approved findings and start the clock."""

    round = models.ForeignKey("rounds.Round", verbose_name="轮次", on_delete=models.PROTECT, related_name="feedbacks")
    unit = models.ForeignKey("units.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="feedbacks")
    # Denormalised from the unit so every scoped list filters one indexed column.
    jurisdiction = models.ForeignKey("accounts.Jurisdiction", verbose_name="管辖范围", on_delete=models.PROTECT)
    held_on = models.DateField("反馈日期")
    place = models.CharField("反馈地点", max_length=200)
    attendees = models.TextField("参会人员")
    letter_number = models.CharField("反馈意见文号", max_length=100)
    plan_due_on = models.DateField("整改方案报送期限")
    report_due_on = models.DateField("整改情况报告期限")
    findings = models.ManyToManyField(
        "findings.Finding", through="ProblemItem", verbose_name="问题清单", related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "巡察反馈"
        verbose_name_plural = "巡察反馈"
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="feedback_one_per_unit_in_round"),
            models.CheckConstraint(condition=models.Q(plan_due_on__gte=models.F("held_on")), name="feedback_plan_due_after"),
        ]
        indexes = [models.Index(fields=["jurisdiction", "round"], name="feedback_jurisdiction_round")]

    def __str__(self):
        return f"{self.unit}（{self.round.title}反馈）"


class ProblemItem(models.Model):
    """One approved finding on a unit's problem list (问题清单), fixed at the time of feedback.

    A finding approved after the feedback joins the list later through `services.problem_item_add`: the office
    gives a reason, and who, when and why stay on the row (`added_*`, empty for the items of the meeting)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="problem_items")
    finding = models.ForeignKey("findings.Finding", verbose_name="问题", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField("序号")
    added_at = models.DateTimeField("反馈后补充时间", null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="补充人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # db_default too: bulk loaders (bench.generate's COPY) name only the original columns.
    added_reason = models.TextField("补充原因", blank=True, default="", db_default="")

    class Meta:
        verbose_name = "问题清单条目"
        verbose_name_plural = "问题清单条目"
        ordering = ["feedback_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["feedback", "finding"], name="problem_item_unique"),
            models.CheckConstraint(
                condition=models.Q(added_at__isnull=True, added_by__isnull=True, added_reason="")
                | (models.Q(added_at__isnull=False, added_by__isnull=False) & ~models.Q(added_reason="")),
                name="problem_item_added_has_who_when_why",
            ),
        ]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "起草中"
    SUBMITTED = "submitted", "已报送待审核"
    ACCEPTED = "accepted", "已审核通过"
    RETURNED = "returned", "已退回修改"


class RectificationPlan(models.Model):
    """整改方案 of one unit after one feedback."""

    feedback = models.OneToOneField(Feedback, verbose_name="巡察反馈", on_delete=models.PROTECT, related_name="plan")
    content = models.TextField("整改方案正文", blank=True)
    status = models.CharField("状态", max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    accepted_at = models.DateTimeField("审核通过时间", null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "整改方案"
        verbose_name_plural = "整改方案"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="accepted", accepted_at__isnull=False)
                | (~models.Q(status="accepted") & models.Q(accepted_at__isnull=True)),
                name="plan_accepted_iff_timestamp",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="plan_status")]

    def __str__(self):
        return f"{self.feedback.unit}整改方案"


class PlanStatusChange(models.Model):
    plan = models.ForeignKey(RectificationPlan, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=20, choices=PlanStatus.choices)
    to_status = models.CharField("新状态", max_length=20, choices=PlanStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("原因", blank=True)

    class Meta:
        verbose_name = "整改方案状态变更"
        verbose_name_plural = "整改方案状态变更"
        ordering = ["at", "id"]


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "起草中"
    SUBMITTED = "submitted", "已报送待审核"
    ACCEPTED = "accepted", "已审核通过"
    RETURNED = "returned", "已退回修改"


class RectificationReport(models.Model):
    """整改情况报告: what the unit reports at the deadline (report_due_on) about its rectification.

    One per feedback. A returned report is corrected and submitted again on the same row; every version is
    kept in its history and every move in its status changes. The figures are counted from the tasks and
    progress when the report is saved or submitted (never typed in); `other_results` is the unit's own words.
    """

    feedback = models.OneToOneField(Feedback, verbose_name="巡察反馈", on_delete=models.PROTECT, related_name="report")
    content = models.TextField("整改情况", blank=True)
    other_results = models.TextField("其他整改成效", blank=True, help_text="系统无法统计的成效，如制度执行、群众评价等")
    findings_total = models.PositiveIntegerField("反馈问题（个）", default=0)
    findings_rectified = models.PositiveIntegerField("已整改问题（个）", default=0)
    tasks_total = models.PositiveIntegerField("整改任务（项）", default=0)
    tasks_closed = models.PositiveIntegerField("已销号任务（项）", default=0)
    money_recovered = models.DecimalField("回收资金/挽回经济损失（元）", max_digits=18, decimal_places=2, default=Decimal("0"))
    rules_established = models.PositiveIntegerField("建章立制（项）", default=0)
    people_held_accountable = models.PositiveIntegerField("追责问责（人）", default=0)
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submission_count = models.PositiveSmallIntegerField("报送次数", default=0)
    # Decided by the first submission: a report returned for correction and sent again is not late for that.
    is_late = models.BooleanField("逾期报送", default=False)
    accepted_at = models.DateTimeField("审核通过时间", null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "整改情况报告"
        verbose_name_plural = "整改情况报告"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="accepted", accepted_at__isnull=False)
                | (~models.Q(status="accepted") & models.Q(accepted_at__isnull=True)),
                name="report_accepted_iff_timestamp",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(first_submitted_at__isnull=False, submitted_at__isnull=False),
                name="report_submitted_has_timestamps",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="report_status")]

    def __str__(self):
        return f"{self.feedback.unit}整改情况报告"


class ReportStatusChange(models.Model):
    report = models.ForeignKey(RectificationReport, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField("新状态", max_length=20, choices=ReportStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("原因", blank=True)

    class Meta:
        verbose_name = "整改情况报告状态变更"
        verbose_name_plural = "整改情况报告状态变更"
        ordering = ["at", "id"]


class ReportAttachment(models.Model):
    """An attachment of a report (the signed report, supporting tables), checked like progress evidence."""

    report = models.ForeignKey(RectificationReport, verbose_name="整改情况报告", on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("文件", upload_to="rectification/reports/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改情况报告附件"
        verbose_name_plural = "整改情况报告附件"
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class TaskKind(models.TextChoices):
    IMMEDIATE = "immediate", "立行立改"
    TIME_LIMITED = "time_limited", "限期整改"
    LONG_TERM = "long_term", "长期坚持"


class TaskStatus(models.TextChoices):
    PENDING = "pending", "未开始"
    IN_PROGRESS = "in_progress", "整改中"
    SUBMITTED = "submitted_for_closing", "已申请销号"
    CLOSED = "closed", "已销号"
    RETURNED = "returned", "销号退回"
    REOPENED = "reopened", "回头看重新整改"


OPEN_TASK_STATUSES = (
    TaskStatus.PENDING,
    TaskStatus.IN_PROGRESS,
    TaskStatus.SUBMITTED,
    TaskStatus.RETURNED,
    TaskStatus.REOPENED,
)


class Task(models.Model):
    """整改任务: one task for one finding (任务清单 + 责任清单)."""

    plan = models.ForeignKey(RectificationPlan, verbose_name="整改方案", on_delete=models.PROTECT, related_name="tasks")
    # The feedback's jurisdiction, copied so that "this office's tasks" is one index walk, not a walk of every
    # office's tasks through plan → feedback (4 s at province scale).
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name="管辖范围", on_delete=models.PROTECT, related_name="+", editable=False
    )
    finding = models.ForeignKey("findings.Finding", verbose_name="问题", on_delete=models.PROTECT, related_name="+")
    measures = models.TextField("整改措施")
    responsible_leader = models.CharField("责任领导", max_length=50)
    responsible_department = models.CharField("责任部门", max_length=100)
    deadline = models.DateField("整改时限")
    kind = models.CharField("整改类型", max_length=20, choices=TaskKind.choices)
    status = models.CharField("状态", max_length=30, choices=TaskStatus.choices, default=TaskStatus.PENDING)
    submitted_at = models.DateTimeField("申请销号时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    # Required on every close since issue 16 (`services.task_transition`); tasks closed before it carry the
    # migration's "（历史数据，未记录核验意见）". db_default too: bulk loaders (bench.generate's COPY) name only the
    # original columns.
    verification_opinion = models.TextField("核验意见", blank=True, default="", db_default="")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"
        ordering = ["plan_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_at__isnull=False)
                | (~models.Q(status="closed") & models.Q(closed_at__isnull=True)),
                name="task_closed_iff_closed_at",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="task_status_deadline"),
            models.Index(fields=["plan", "status"], name="task_plan_status"),
            models.Index(fields=["jurisdiction", "-id"], name="task_jurisdiction_recent"),
            # The office's to-do: its tasks asking to be closed, oldest request first (dashboard.todo).
            models.Index(fields=["jurisdiction", "status", "submitted_at"], name="task_jurisdiction_status_asked"),
            models.Index(fields=["jurisdiction", "deadline", "id"], name="task_jurisdiction_deadline"),
            # The task list page of a user who sees every office (ordered by deadline): one index walk, not a
            # sort of millions of tasks.
            models.Index(fields=["deadline", "id"], name="task_deadline"),
        ]

    def __str__(self):
        return f"整改任务{self.pk}：{self.finding.title}"


class TaskStatusChange(models.Model):
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=30, choices=TaskStatus.choices)
    to_status = models.CharField("新状态", max_length=30, choices=TaskStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("原因", blank=True)

    class Meta:
        verbose_name = "整改任务状态变更"
        verbose_name_plural = "整改任务状态变更"
        ordering = ["at", "id"]


class Progress(models.Model):
    """整改进展: a dated report with evidence and the results it achieved."""

    task = models.ForeignKey(Task, verbose_name="整改任务", on_delete=models.PROTECT, related_name="progress_reports")
    reported_on = models.DateField("进展日期")
    description = models.TextField("整改进展情况")
    money_recovered = models.DecimalField(
        "回收资金/挽回经济损失（元）", max_digits=16, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    rules_established_count = models.PositiveIntegerField("建章立制（项）", default=0)
    rules_established_names = models.TextField("制度名称", blank=True, help_text="每行一项")
    people_held_accountable = models.PositiveIntegerField("追责问责（人）", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报告人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("报告时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "整改进展"
        verbose_name_plural = "整改进展"
        ordering = ["-reported_on", "-id"]


class Evidence(models.Model):
    """An evidence file of a progress report, stored under MEDIA_ROOT and served only through a checked view."""

    progress = models.ForeignKey(Progress, verbose_name="整改进展", on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField("文件", upload_to="rectification/evidence/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class ReminderStage(models.TextChoices):
    DUE_SOON = "due_soon", "即将到期"
    DUE = "due", "今日到期"
    OVERDUE = "overdue", "已逾期"
    ESCALATED = "escalated", "逾期升级"


class TaskReopening(models.Model):
    """重新整改: a closed task found not truly fixed goes back to the unit with a new time limit and a reason.

    Written only by `services.task_reopen`, next to the task's status-change row: this row keeps what the status
    change cannot (the time limit before and after, and the look-back check that found the problem, if any)."""

    task = models.ForeignKey(Task, verbose_name="整改任务", on_delete=models.PROTECT, related_name="reopenings")
    lookback_check = models.OneToOneField(
        "LookbackCheck", verbose_name="回头看核查", null=True, blank=True, on_delete=models.PROTECT, related_name="reopening"
    )
    previous_deadline = models.DateField("原整改时限")
    deadline = models.DateField("新整改时限")
    reason = models.TextField("重新整改原因")
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField("重新整改时间", auto_now_add=True)

    class Meta:
        verbose_name = "重新整改记录"
        verbose_name_plural = "重新整改记录"
        ordering = ["reopened_at", "id"]

    def __str__(self):
        return f"{self.task}重新整改（时限 {self.deadline:%Y-%m-%d}）"


class TaskReminder(models.Model):
    """A reminder sent for a task at one stage of one deadline. The unique constraint makes the daily job
    idempotent: once per stage per deadline, so a task reopened with a new time limit is reminded again."""

    task = models.ForeignKey(Task, verbose_name="整改任务", on_delete=models.PROTECT, related_name="reminders")
    stage = models.CharField("提醒阶段", max_length=20, choices=ReminderStage.choices)
    # The task's time limit this reminder is about (the task's deadline when it was sent).
    deadline = models.DateField("所提醒的整改时限")
    sent_on = models.DateField("提醒日期")
    # The run that inserted the row: a run notifies only for the rows it actually inserted.
    run = models.UUIDField("批次", db_index=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改任务提醒"
        verbose_name_plural = "整改任务提醒"
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "stage", "deadline"], name="task_reminder_once_per_stage_deadline")
        ]


class PlanReminder(models.Model):
    plan = models.ForeignKey(RectificationPlan, verbose_name="整改方案", on_delete=models.PROTECT, related_name="reminders")
    stage = models.CharField("提醒阶段", max_length=20, choices=ReminderStage.choices)
    sent_on = models.DateField("提醒日期")
    run = models.UUIDField("批次", db_index=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改方案提醒"
        verbose_name_plural = "整改方案提醒"
        ordering = ["-sent_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["plan", "stage"], name="plan_reminder_once_per_stage")]


class ReportReminder(models.Model):
    """A reminder that a feedback's 整改情况报告 is still owed, at one stage.

    Keyed by the Feedback, not the report: the report row exists only once the unit starts drafting, and the
    unit that has not even started is the one most in need of a reminder. The feedback carries the due date
    (report_due_on) and there is at most one report per feedback, so (feedback, stage) is still "once per
    report per stage", and a report created, returned or redrafted later does not reset what was sent."""

    feedback = models.ForeignKey(
        Feedback, verbose_name="巡察反馈", on_delete=models.PROTECT, related_name="report_reminders"
    )
    stage = models.CharField("提醒阶段", max_length=20, choices=ReminderStage.choices)
    sent_on = models.DateField("提醒日期")
    run = models.UUIDField("批次", db_index=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改情况报告提醒"
        verbose_name_plural = "整改情况报告提醒"
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["feedback", "stage"], name="report_reminder_once_per_stage")
        ]


class Disclosure(models.Model):
    """整改公开: the summary of a unit's rectification the office may publish."""

    feedback = models.OneToOneField(Feedback, verbose_name="巡察反馈", on_delete=models.PROTECT, related_name="disclosure")
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("整改情况摘要", help_text="将向社会公开，请勿写入信访人、问题线索及当事人姓名")
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "整改公开"
        verbose_name_plural = "整改公开"
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title


class EvaluationWeights(models.Model):
    """The office's weights for the effect evaluation; they sum to 100."""

    jurisdiction = models.OneToOneField(
        "accounts.Jurisdiction", verbose_name="管辖范围", on_delete=models.PROTECT, related_name="evaluation_weights"
    )
    self_weight = models.PositiveSmallIntegerField("单位自评权重", default=20)
    public_weight = models.PositiveSmallIntegerField("群众满意度权重", default=30)
    supervision_weight = models.PositiveSmallIntegerField("监督单位评分权重", default=20)
    onsite_weight = models.PositiveSmallIntegerField("实地检查权重", default=30)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "整改效果评价权重"
        verbose_name_plural = "整改效果评价权重"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    self_weight=100 - models.F("public_weight") - models.F("supervision_weight") - models.F("onsite_weight")
                ),
                name="weights_sum_to_100",
            ),
        ]

    def __str__(self):
        return f"{self.jurisdiction}整改效果评价权重"


SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    FAIR = "fair", "一般"
    POOR = "poor", "较差"


class Evaluation(models.Model):
    """整改效果评价 of one unit's rectification."""

    feedback = models.OneToOneField(Feedback, verbose_name="巡察反馈", on_delete=models.PROTECT, related_name="evaluation")
    self_score = models.DecimalField("单位自评", max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)
    public_score = models.DecimalField("群众满意度", max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)
    supervision_score = models.DecimalField("监督单位评分", max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)
    onsite_score = models.DecimalField("实地检查评分", max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)
    weights = models.JSONField("评分时权重", default=dict)
    total = models.DecimalField("综合得分", max_digits=5, decimal_places=2)
    grade = models.CharField("评价等次", max_length=20, choices=Grade.choices)
    notes = models.TextField("评价说明", blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评价人", on_delete=models.PROTECT, related_name="+")
    evaluated_at = models.DateTimeField("评价时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "整改效果评价"
        verbose_name_plural = "整改效果评价"
        ordering = ["-evaluated_at", "-id"]

    def __str__(self):
        return f"{self.feedback.unit}整改效果评价"


class LookbackCheck(models.Model):
    """回头看: a look-back round's verdict on an earlier task — truly fixed or not."""

    lookback_round = models.ForeignKey(
        "rounds.Round", verbose_name="回头看轮次", on_delete=models.PROTECT, related_name="lookback_checks"
    )
    task = models.ForeignKey(Task, verbose_name="整改任务", on_delete=models.PROTECT, related_name="lookback_checks")
    is_fixed = models.BooleanField("已真正整改到位")
    notes = models.TextField("核查情况")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核查人", on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField("核查时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "回头看核查"
        verbose_name_plural = "回头看核查"
        ordering = ["-checked_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["lookback_round", "task"], name="lookback_check_once_per_round"),
        ]
