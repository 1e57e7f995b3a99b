"""List serializers are flat and read-only; writes go through the services with keyword arguments."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from findings.models import Finding
from inspection.core.api import FlatRowSerializerMixin
from inspection.units.models import Unit
from rounds.models import Round

from ..models import Evaluation, Evidence, Feedback, LookbackCheck, Progress, RectificationPlan, Task
from ..workflow import PLAN_TABLE, TASK_TABLE


class RectificationMoveSerializer(serializers.Serializer):
    verb = serializers.CharField()
    label = serializers.CharField()
    to = serializers.CharField()
    needs_reason = serializers.BooleanField()


def _moves(table, status, context):
    """The moves open to the request's user from `status`; a list asks once per status, not once per row."""
    request = context.get("request")
    if request is None:
        return []
    known = context.setdefault("_moves", {})
    key = (id(table), status)
    if key not in known:
        # Reopening happens only through a look-back check (LookbackCheck), never as a bare move.
        known[key] = [{"verb": t.verb, "label": t.label, "to": t.target, "needs_reason": t.needs_reason}
                      for t in table.moves_for(status, request.user) if t.verb != "reopen"]
    return known[key]


class FeedbackSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    round_title = serializers.CharField(source="round.title", read_only=True)
    plan = serializers.PrimaryKeyRelatedField(read_only=True)
    plan_status = serializers.CharField(source="plan.status", read_only=True)
    task_total = serializers.IntegerField(read_only=True)
    task_closed = serializers.IntegerField(read_only=True)
    task_overdue = serializers.IntegerField(read_only=True)

    class Meta:
        model = Feedback
        fields = [
            "id", "round", "round_title", "unit", "unit_name", "held_on", "place", "attendees", "letter_number",
            "plan_due_on", "report_due_on", "plan", "plan_status", "task_total", "task_closed", "task_overdue",
        ]
        read_only_fields = fields


class FeedbackCreateSerializer(serializers.Serializer):
    round = serializers.PrimaryKeyRelatedField(queryset=Round.objects.all(), label="轮次")
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), label="被巡察单位")
    held_on = serializers.DateField(label="反馈日期")
    place = serializers.CharField(max_length=200, label="反馈地点")
    attendees = serializers.CharField(label="参会人员")
    letter_number = serializers.CharField(max_length=100, label="反馈意见文号")


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
            "responsible_department", "deadline", "kind", "status", "submitted_at", "closed_at", "return_reason", "moves",
        ]
        read_only_fields = ["status", "submitted_at", "closed_at", "return_reason", "moves"]

    @extend_schema_field(RectificationMoveSerializer(many=True))
    def get_moves(self, obj):
        return _moves(TASK_TABLE, obj.status, self.context)


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
    class Meta:
        model = LookbackCheck
        fields = ["id", "lookback_round", "task", "is_fixed", "notes", "checked_at"]
        read_only_fields = ["id", "checked_at"]
