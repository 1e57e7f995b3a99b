"""List serializers are flat and read-only; writes go through the services with keyword arguments."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from findings.models import Finding
from inspection.core.api import FlatRowSerializerMixin, moves_for_request
from inspection.core.batch_api import BatchIdsSerializer
from inspection.units.models import Unit
from rounds.models import Round

from .. import selectors
from ..models import (
    Disclosure,
    Evaluation,
    Evidence,
    Feedback,
    LookbackCheck,
    ProblemItem,
    Progress,
    RectificationPlan,
    RectificationReport,
    ReportAttachment,
    Task,
    TaskKind,
)
from ..workflow import PLAN_TABLE, REPORT_TABLE, TASK_TABLE


class RectificationMoveSerializer(serializers.Serializer):
    verb = serializers.CharField()
    label = serializers.CharField()
    to = serializers.CharField()
    needs_reason = serializers.BooleanField()


def _moves(table, status, context):
    # A task's "reopen" is its own action (POST …/reopen/ with new_deadline and reason), listed like the others.
    return [{"verb": t.verb, "label": t.label, "to": t.target, "needs_reason": t.needs_reason}
            for t in moves_for_request(context, table, status)]


class FeedbackSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    round_title = serializers.CharField(source="round.title", read_only=True)
    plan = serializers.PrimaryKeyRelatedField(read_only=True)
    plan_status = serializers.CharField(source="plan.status", read_only=True)
    task_total = serializers.IntegerField(read_only=True)
    task_closed = serializers.IntegerField(read_only=True)
    task_overdue = serializers.IntegerField(read_only=True)
    report = serializers.SerializerMethodField()
    report_status = serializers.SerializerMethodField()
    report_late = serializers.SerializerMethodField(help_text="整改情况报告首次报送晚于期限")
    report_overdue = serializers.SerializerMethodField(help_text="已过报告期限，尚未报送")

    class Meta:
        model = Feedback
        fields = [
            "id", "round", "round_title", "unit", "unit_name", "held_on", "place", "attendees", "letter_number",
            "plan_due_on", "report_due_on", "plan", "plan_status", "task_total", "task_closed", "task_overdue",
            "report", "report_status", "report_late", "report_overdue",
        ]
        read_only_fields = fields


    @staticmethod
    def _report(obj):
        try:
            return obj.report
        except RectificationReport.DoesNotExist:
            return None

    def get_report(self, obj) -> int | None:
        report = self._report(obj)
        return report.pk if report else None

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="整改情况报告状态：draft/submitted/accepted/returned"))
    def get_report_status(self, obj):
        report = self._report(obj)
        return report.status if report else None

    def get_report_late(self, obj) -> bool:
        report = self._report(obj)
        return bool(report and report.is_late)

    def get_report_overdue(self, obj) -> bool:
        return selectors.report_overdue(obj)


class FeedbackCreateSerializer(serializers.Serializer):
    round = serializers.PrimaryKeyRelatedField(queryset=Round.objects.all(), label="轮次")
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), label="被巡察单位")
    held_on = serializers.DateField(label="反馈日期")
    place = serializers.CharField(max_length=200, label="反馈地点")
    attendees = serializers.CharField(label="参会人员")
    letter_number = serializers.CharField(max_length=100, label="反馈意见文号")


class FeedbackCandidateSerializer(serializers.Serializer):
    """A unit of a round in feedback, not fed back yet: whether it may be fed back now, and if not, why."""

    round = serializers.IntegerField(source="round.pk")
    round_title = serializers.CharField(source="round.title")
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    eligible = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField(help_text="不能登记反馈的原因（中文），可以登记时为空")

    def get_eligible(self, obj) -> bool:
        return obj.refusal is None

    def get_reason(self, obj) -> str:
        return obj.refusal.message if obj.refusal else ""


class AwaitingFindingSerializer(serializers.ModelSerializer):
    """反馈后新增的问题: approved after the feedback, on no problem list yet."""

    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "title", "category_name", "approved_at"]
        read_only_fields = fields


class ProblemItemAddSerializer(serializers.Serializer):
    finding = serializers.IntegerField(label="问题")
    reason = serializers.CharField(label="补充原因")
    measures = serializers.CharField(label="整改措施")
    responsible_leader = serializers.CharField(max_length=50, label="责任领导")
    responsible_department = serializers.CharField(max_length=100, label="责任部门")
    deadline = serializers.DateField(label="整改时限")
    kind = serializers.ChoiceField(choices=TaskKind.choices, label="整改类型")


class ProblemItemSerializer(serializers.ModelSerializer):
    finding_title = serializers.CharField(source="finding.title", read_only=True)
    added_by_name = serializers.CharField(source="added_by", read_only=True, default=None)
    task = serializers.SerializerMethodField()

    class Meta:
        model = ProblemItem
        fields = ["id", "feedback", "position", "finding", "finding_title", "added_at", "added_by", "added_by_name",
                  "added_reason", "task"]
        read_only_fields = fields

    def get_task(self, obj) -> int | None:
        task = getattr(obj, "task", None)
        return task.pk if task else None


class PlanSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="feedback.unit.name", read_only=True)
    moves = serializers.SerializerMethodField()

    class Meta:
        model = RectificationPlan
        fields = ["id", "feedback", "unit_name", "content", "status", "submitted_at", "accepted_at", "return_reason", "moves"]
        read_only_fields = ["id", "feedback", "unit_name", "status", "submitted_at", "accepted_at", "return_reason", "moves"]

    @extend_schema_field(RectificationMoveSerializer(many=True))
    def get_moves(self, obj):
        return _moves(PLAN_TABLE, obj.status, self.context)


class ProblemFactsSerializer(serializers.ModelSerializer):
    """问题清单 as fed back to the unit: each problem's facts and basis, what the unit plans its measures against.
    Never the finding's evidence, persons involved or working paper (the finding itself stays closed to the unit)."""

    title = serializers.CharField(source="finding.title", read_only=True)
    category_name = serializers.CharField(source="finding.category.name", read_only=True)
    facts = serializers.CharField(source="finding.facts", read_only=True, help_text="问题事实")
    basis = serializers.CharField(source="finding.basis", read_only=True, help_text="定性依据")
    tasks = serializers.SerializerMethodField(help_text="该问题的整改任务编号")

    class Meta:
        model = ProblemItem
        fields = ["id", "position", "finding", "title", "category_name", "facts", "basis", "added_at", "tasks"]
        read_only_fields = fields

    def get_tasks(self, obj) -> list[int]:
        return [task.pk for task in self.context.get("tasks_by_finding", {}).get(obj.finding_id, [])]


class TaskCloseSerializer(serializers.Serializer):
    verification_opinion = serializers.CharField(
        label="核验意见", required=False, allow_blank=True, default="", help_text="必填：核验的方式和结论"
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="旧字段名，等同于核验意见")


class TaskBatchCloseSerializer(BatchIdsSerializer):
    verification_opinion = serializers.CharField(
        label="核验意见", required=False, allow_blank=True, default="", help_text="必填：记入每一项的销号记录"
    )


class PlanTaskRowSerializer(serializers.Serializer):
    """One row of the plan's task table; the service checks what is required (so every row's reason is named)."""

    finding = serializers.IntegerField(label="问题编号")
    task = serializers.IntegerField(label="任务编号", required=False, allow_null=True, default=None,
                                    help_text="修改已有任务时填写")
    measures = serializers.CharField(label="整改措施", required=False, allow_blank=True, default="")
    responsible_leader = serializers.CharField(label="责任领导", max_length=50, required=False, allow_blank=True, default="")
    responsible_department = serializers.CharField(
        label="责任部门", max_length=100, required=False, allow_blank=True, default=""
    )
    deadline = serializers.DateField(label="整改时限", required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(label="整改类型", choices=TaskKind.choices, required=False, allow_blank=True, default="")


class PlanTasksSerializer(serializers.Serializer):
    rows = PlanTaskRowSerializer(many=True, help_text="每项整改任务一行")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", label="原因")


class TaskSerializer(FlatRowSerializerMixin, serializers.ModelSerializer):
    finding_title = serializers.CharField(source="finding.title", read_only=True)
    unit = serializers.IntegerField(source="plan.feedback.unit_id", read_only=True)
    unit_name = serializers.CharField(source="plan.feedback.unit.name", read_only=True)
    round = serializers.IntegerField(source="plan.feedback.round_id", read_only=True)
    moves = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id", "plan", "finding", "finding_title", "unit", "unit_name", "round", "measures", "responsible_leader",
            "responsible_department", "deadline", "kind", "status", "submitted_at", "closed_at", "return_reason",
            "verification_opinion", "moves",
        ]
        read_only_fields = ["status", "submitted_at", "closed_at", "return_reason", "verification_opinion", "moves"]

    @extend_schema_field(RectificationMoveSerializer(many=True))
    def get_moves(self, obj):
        return _moves(TASK_TABLE, obj.status, self.context)


class TaskDetailSerializer(TaskSerializer):
    """One task with its problem's facts and basis as fed back (the list keeps the finding's long texts out)."""

    finding_facts = serializers.CharField(source="finding.facts", read_only=True, help_text="问题事实")
    finding_basis = serializers.CharField(source="finding.basis", read_only=True, help_text="定性依据")

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "finding_facts", "finding_basis"]


def new_deadline_field(**kwargs):
    return serializers.DateField(
        label="新的整改时限",
        error_messages={"required": "请填写新的整改时限", "null": "请填写新的整改时限",
                        "invalid": "请输入有效的日期，格式为 YYYY-MM-DD"},
        **kwargs,
    )


class TaskReopenSerializer(serializers.Serializer):
    """回头看重新整改: the new time limit (today or later; the service checks it) and the reason."""

    new_deadline = new_deadline_field()
    reason = serializers.CharField(
        label="重新整改原因", error_messages={"required": "请填写重新整改的原因", "blank": "请填写重新整改的原因"}
    )


class TaskCreateSerializer(serializers.Serializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=RectificationPlan.objects.all(), label="整改方案")
    finding = serializers.PrimaryKeyRelatedField(queryset=Finding.objects.all(), label="问题")
    measures = serializers.CharField(label="整改措施")
    responsible_leader = serializers.CharField(max_length=50, label="责任领导")
    responsible_department = serializers.CharField(max_length=100, label="责任部门")
    deadline = serializers.DateField(label="整改时限")
    kind = serializers.ChoiceField(choices=Task._meta.get_field("kind").choices, label="整改类型")


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "download_url"]

    def get_download_url(self, obj) -> str:
        return reverse("rectification:evidence_download", args=[obj.pk])


class ProgressSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)
    files = serializers.ListField(child=serializers.FileField(), write_only=True, required=False, label="佐证材料")

    class Meta:
        model = Progress
        fields = [
            "id", "task", "reported_on", "description", "money_recovered", "rules_established_count",
            "rules_established_names", "people_held_accountable", "created_at", "evidence", "files",
        ]
        read_only_fields = ["id", "created_at", "evidence"]
        extra_kwargs = {"task": {"queryset": Task.objects.all()}}


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = [
            "id", "feedback", "self_score", "public_score", "supervision_score", "onsite_score", "notes",
            "weights", "total", "grade", "evaluated_at",
        ]
        read_only_fields = ["id", "weights", "total", "grade", "evaluated_at"]


class LookbackCheckSerializer(serializers.ModelSerializer):
    new_deadline = new_deadline_field(
        required=False, allow_null=True, default=None, write_only=True,
        help_text="核查认定已销号任务未整改到位时必填：任务重新整改，按新的时限提醒",
    )

    class Meta:
        model = LookbackCheck
        fields = ["id", "lookback_round", "task", "is_fixed", "notes", "new_deadline", "checked_at"]
        read_only_fields = ["id", "checked_at"]

    def to_representation(self, instance):
        # Read back: the time limit the task was reopened with by this check (null when it was not reopened).
        data = super().to_representation(instance)
        reopening = getattr(instance, "reopening", None)
        data["new_deadline"] = reopening.deadline.isoformat() if reopening else None
        return data


class ReportAttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportAttachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "download_url"]

    def get_download_url(self, obj) -> str:
        return reverse("rectification:report_attachment_download", args=[obj.pk])


REPORT_FIGURE_FIELDS = [
    "findings_total", "findings_rectified", "tasks_total", "tasks_closed", "money_recovered", "rules_established",
    "people_held_accountable",
]


class ReportSerializer(serializers.ModelSerializer):
    """A report as read; the figures are counted by the system (read-only), the unit writes the texts."""

    unit = serializers.IntegerField(source="feedback.unit_id", read_only=True)
    unit_name = serializers.CharField(source="feedback.unit.name", read_only=True)
    round = serializers.IntegerField(source="feedback.round_id", read_only=True)
    round_title = serializers.CharField(source="feedback.round.title", read_only=True)
    report_due_on = serializers.DateField(source="feedback.report_due_on", read_only=True)
    attachments = ReportAttachmentSerializer(many=True, read_only=True)
    moves = serializers.SerializerMethodField()

    class Meta:
        model = RectificationReport
        fields = [
            "id", "feedback", "unit", "unit_name", "round", "round_title", "report_due_on", "content", "other_results",
            *REPORT_FIGURE_FIELDS, "status", "first_submitted_at", "submitted_at", "submission_count", "is_late",
            "accepted_at", "return_reason", "created_at", "updated_at", "attachments", "moves",
        ]
        read_only_fields = [name for name in fields if name not in ("content", "other_results")]

    @extend_schema_field(RectificationMoveSerializer(many=True))
    def get_moves(self, obj):
        return _moves(REPORT_TABLE, obj.status, self.context)


class ReportWriteSerializer(serializers.Serializer):
    """Create (with `feedback`) or update a report: its texts and new attachments (multipart `files`)."""

    content = serializers.CharField(label="整改情况", error_messages={"blank": "请填写整改情况", "required": "请填写整改情况"})
    other_results = serializers.CharField(label="其他整改成效", required=False, allow_blank=True, default="")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list, label="附件")


class ReportCreateSerializer(ReportWriteSerializer):
    feedback = serializers.PrimaryKeyRelatedField(queryset=Feedback.objects.all(), label="巡察反馈")


class DisclosureSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="feedback.unit_id", read_only=True)
    unit_name = serializers.CharField(source="feedback.unit.name", read_only=True)
    round = serializers.IntegerField(source="feedback.round_id", read_only=True)
    is_published = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Disclosure
        fields = [
            "id", "feedback", "unit", "unit_name", "round", "title", "summary", "is_published", "published_at",
            "published_by", "public_url", "updated_at",
        ]
        read_only_fields = ["id", "feedback", "unit", "unit_name", "round", "is_published", "published_at",
                            "published_by", "public_url", "updated_at"]

    def get_is_published(self, obj) -> bool:
        return obj.published_at is not None

    def get_public_url(self, obj) -> str | None:
        return reverse("rectification:public_disclosure", args=[obj.pk]) if obj.published_at else None


class DisclosureCreateSerializer(serializers.Serializer):
    feedback = serializers.PrimaryKeyRelatedField(queryset=Feedback.objects.all(), label="巡察反馈")
    title = serializers.CharField(max_length=200, label="标题")
    summary = serializers.CharField(label="整改情况摘要")


class RectificationFiguresSerializer(serializers.Serializer):
    """整改统计: the answer of GET /api/rectification/figures/, typed so the OpenAPI document lists every figure
    (the same numbers as the rectification overview page, `selectors.rectification_figures`)."""

    units = serializers.IntegerField(help_text="已反馈单位数")
    findings = serializers.IntegerField(help_text="反馈问题数")
    findings_rectified = serializers.IntegerField(help_text="已整改问题数（任务全部销号）")
    tasks = serializers.IntegerField(help_text="整改任务数")
    closed = serializers.IntegerField(help_text="已销号任务数")
    completion_rate = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="任务完成率（%）")
    overdue = serializers.IntegerField(help_text="逾期未销号任务数")
    money_recovered = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="追缴、挽回金额（元）")
    rules_established = serializers.IntegerField(help_text="建章立制（项）")
    people_held_accountable = serializers.IntegerField(help_text="问责人数")
    reports_due = serializers.IntegerField(help_text="已到报送期限的整改情况报告数")
    reports_submitted = serializers.IntegerField(help_text="已报送（至少一次）的整改情况报告数")
    reports_accepted = serializers.IntegerField(help_text="已审核通过的整改情况报告数")
    reports_late = serializers.IntegerField(help_text="逾期报送的整改情况报告数")
    reports_missing = serializers.IntegerField(help_text="已到期限仍未报送的整改情况报告数")
