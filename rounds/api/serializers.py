"""Rounds API serializers: flat and read-only for lists; writes go through `rounds.services`."""

from datetime import date

from rest_framework import serializers

from inspection.core import access
from inspection.core.api import MaskedInListMixin
from inspection.units.models import Cadre, RecusalFactor, Unit

from .. import selectors
from ..models import (
    Announcement,
    CadreEvaluation,
    DefaultMaterialItem,
    InfoRequest,
    Inquiry,
    Interview,
    MaterialItem,
    Membership,
    Petition,
    Phase,
    Plan,
    RecusalCheck,
    Round,
    Team,
    TeamUnit,
)
from ..workflow import PHASE_TABLE


class ScopedRelatedMixin:
    """Limits the choices of `round`, `team`, `unit`, `cadre` to what the requesting user may see."""

    scoped_fields = {
        "round": Round, "team": Team, "unit": Unit, "cadre": Cadre, "units": Unit, "plan": Plan, "membership": Membership,
        "lookback_of": Round,
    }

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None:
            return fields
        for name, model in self.scoped_fields.items():
            field = fields.get(name)
            if field is None or field.read_only:
                continue
            target = getattr(field, "child_relation", field)
            target.queryset = access.visible(request.user, model)
        return fields


class TermPlanSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    unit_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "name", "start_year", "end_year", "notes", "units", "unit_count", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"units": {"write_only": True, "required": False}}


class MoveSerializer(serializers.Serializer):
    to_phase = serializers.CharField(source="target")
    verb = serializers.CharField()
    label = serializers.CharField()
    needs_reason = serializers.BooleanField()


class RoundSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    phase_label = serializers.CharField(source="get_phase_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    available_moves = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = [
            "id", "plan", "number", "title", "kind", "kind_label", "topic", "start_date", "end_date",
            "phase", "phase_label", "phase_changed_at", "lookback_of", "available_moves",
        ]
        read_only_fields = ["number", "phase", "phase_changed_at"]
        extra_kwargs = {"lookback_of": {"required": False}}

    def get_available_moves(self, obj) -> list[dict]:
        request = self.context.get("request")
        if request is None or not access.policy_for(Round).role_allows(request.user, "change_phase"):
            return []
        return MoveSerializer(PHASE_TABLE.moves_for(obj.phase, request.user), many=True).data

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "进驻结束日期不能早于开始日期"})
        if self.instance is not None and "plan" in attrs and attrs["plan"] != self.instance.plan:
            raise serializers.ValidationError({"plan": "轮次创建后不能改变所属规划"})
        return attrs


class ChangePhaseSerializer(serializers.Serializer):
    to_phase = serializers.ChoiceField(choices=Phase.choices, error_messages={"invalid_choice": "“{input}”不是有效的阶段"})
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MembershipSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    position_label = serializers.CharField(source="get_position_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "team", "cadre", "cadre_name", "position", "position_label", "start_date", "end_date", "is_active"]
        read_only_fields = fields


class TeamSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    members = serializers.SerializerMethodField()
    units = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = ["id", "round", "name", "members", "units", "warnings", "created_at"]
        read_only_fields = ["created_at"]
        # A duplicate name is the service's refusal ("本轮已有同名巡察组" on `name`), also when two requests race past
        # the check; DRF's generic unique-together message would name no field a user knows.
        validators = []

    def get_members(self, obj) -> list[dict]:
        return MembershipSerializer(obj.active_memberships, many=True).data

    def get_units(self, obj) -> list[dict]:
        # `team_unit`: the assignment's id, for POST /api/team-units/{id}/withdraw/.
        return [{"id": row.unit_id, "name": row.unit.name, "team_unit": row.pk} for row in obj.unit_rows]

    def get_warnings(self, obj) -> list[str]:
        return selectors.team_warnings(obj)


class AddMemberSerializer(ScopedRelatedMixin, serializers.Serializer):
    cadre = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.none())
    position = serializers.ChoiceField(choices=Membership.Position.choices)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class AddUnitSerializer(ScopedRelatedMixin, serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none())
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class TeamUnitSerializer(serializers.ModelSerializer):
    """An assignment of a unit to a team, in force or withdrawn (with who, when, why, and where it went)."""

    team_name = serializers.CharField(source="team.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    is_withdrawn = serializers.BooleanField(read_only=True)
    moved_to = serializers.SerializerMethodField(help_text="调整至其他组时，新安排的 id")
    moved_to_team = serializers.SerializerMethodField(help_text="调整至其他组时，接收组的 id")

    class Meta:
        model = TeamUnit
        fields = [
            "id", "round", "team", "team_name", "unit", "unit_name", "created_at", "moved_from", "is_withdrawn",
            "withdrawn_at", "withdrawn_by", "withdrawal_reason", "moved_to", "moved_to_team",
        ]
        read_only_fields = fields

    def _moved_to(self, obj):
        try:
            return obj.moved_to
        except TeamUnit.moved_to.RelatedObjectDoesNotExist:
            return None

    def get_moved_to(self, obj) -> int | None:
        moved = self._moved_to(obj)
        return moved.pk if moved else None

    def get_moved_to_team(self, obj) -> int | None:
        moved = self._moved_to(obj)
        return moved.team_id if moved else None


class WithdrawUnitSerializer(ScopedRelatedMixin, serializers.Serializer):
    to_team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.none(), required=False, allow_null=True,
        help_text="调整至本轮的哪个巡察组；不填则撤出本轮巡察",
    )
    reason = serializers.CharField(
        help_text="调整理由（必填）", error_messages={"blank": "调整被巡察单位须填写理由", "required": "调整被巡察单位须填写理由"}
    )
    override_reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="接收组存在回避情形时，巡察办的书面说明理由"
    )
    scoped_fields = {"to_team": Team}


class RoundsReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(error_messages={"blank": "须填写理由", "required": "须填写理由"})


class RecusalApplicationSerializer(ScopedRelatedMixin, serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none())
    kind = serializers.ChoiceField(choices=RecusalFactor.Kind.choices)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class RecusalCheckSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    result_label = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = RecusalCheck
        fields = [
            "id", "round", "team", "team_name", "cadre", "cadre_name", "stage", "stage_label", "trigger", "position",
            "unit", "detail", "result", "result_label", "checked_by", "checked_at", "override_reason",
            "overridden_by", "overridden_at", "membership",
        ]
        read_only_fields = fields


class AnnouncementSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    class Meta:
        model = Announcement
        fields = [
            "id", "round", "team", "unit", "hotline", "mailbox", "email", "address", "start_date", "end_date",
            "published_on", "created_by", "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]


class InfoRequestSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    recipient_label = serializers.CharField(read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = InfoRequest
        fields = [
            "id", "round", "unit", "recipient", "recipient_other", "recipient_label", "content", "sent_on",
            "due_date", "replied_on", "reply", "is_overdue", "created_by", "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]

    def get_is_overdue(self, obj) -> bool:
        return obj.replied_on is None and obj.due_date < date.today()


class MaterialItemSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    class Meta:
        model = MaterialItem
        fields = ["id", "round", "unit", "order", "name", "description", "requested_on", "received_on", "notes"]


class ApplyDefaultSerializer(ScopedRelatedMixin, serializers.Serializer):
    round = serializers.PrimaryKeyRelatedField(queryset=Round.objects.none())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none())


class AppliedDefaultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="新列入的资料项数（已列入的不重复列入）")
    items = MaterialItemSerializer(many=True, read_only=True, help_text="新列入的资料项")


class ReceiveSerializer(serializers.Serializer):
    received_on = serializers.DateField(required=False, allow_null=True)


class DefaultMaterialItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = DefaultMaterialItem
        fields = ["id", "order", "name", "description", "is_active"]


class VersionedSerializerMixin(serializers.Serializer):
    """`version`: read it with the record, send it back with the edit. An edit without it, or on a version someone
    else has saved over, is refused with a 400 (`rounds.services.StaleEdit`), never saved over the other edit."""

    version = serializers.IntegerField(
        min_value=1, required=False, help_text="读取时的版本号；修改（PUT/PATCH）时必填，已被他人修改则返回 400"
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None:
            attrs.pop("version", None)  # a new record starts at version 1
        elif "version" not in attrs:
            raise serializers.ValidationError({"version": "修改时须提交读取时的版本号（version）"})
        return attrs


class PetitionSerializer(MaskedInListMixin, VersionedSerializerMixin, ScopedRelatedMixin, serializers.ModelSerializer):
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    conclusion_label = serializers.CharField(source="get_conclusion_display", read_only=True)

    class Meta:
        model = Petition
        fields = [
            "id", "round", "team", "unit", "channel", "channel_label", "received_on", "is_anonymous",
            "petitioner_name", "petitioner_contact", "subject_person", "subject_post", "summary", "handling",
            "conclusion", "conclusion_label", "conclusion_text", "created_by", "created_at", "version",
        ]
        read_only_fields = ["created_by", "created_at"]


class InquirySerializer(VersionedSerializerMixin, ScopedRelatedMixin, serializers.ModelSerializer):
    manner_label = serializers.CharField(source="get_manner_display", read_only=True)

    class Meta:
        model = Inquiry
        fields = [
            "id", "round", "team", "asker_name", "asker_post", "asked_person", "asked_on", "manner", "manner_label",
            "subject", "handling", "created_by", "created_at", "version",
        ]
        read_only_fields = ["created_by", "created_at"]


class InterviewSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    class Meta:
        model = Interview
        fields = [
            "id", "round", "team", "unit", "interviewee_name", "interviewee_post", "held_on", "interviewers",
            "notes", "created_by", "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]


class CadreEvaluationSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="membership.cadre.name", read_only=True)
    team_name = serializers.CharField(source="membership.team.name", read_only=True)
    grade_label = serializers.CharField(source="get_grade_display", read_only=True)
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True, default="")

    class Meta:
        model = CadreEvaluation
        fields = [
            "id", "membership", "cadre_name", "team_name", "score", "grade", "grade_label", "comment", "reason",
            "evaluated_by", "evaluated_at",
        ]
        read_only_fields = ["grade", "evaluated_by", "evaluated_at"]
        # The uniqueness of one evaluation per membership is the service's business (it updates in place).
        validators = []
        extra_kwargs = {"membership": {"validators": []}}

    def validate(self, attrs):
        if self.instance is not None and "membership" in attrs and attrs["membership"] != self.instance.membership:
            raise serializers.ValidationError({"membership": "考评对应的组内职务不能更改"})
        return attrs


class InterviewCountSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField(source="unit__name")
    count = serializers.IntegerField()
