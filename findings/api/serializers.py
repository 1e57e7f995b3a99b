"""API shapes. The list serializer is flat and read-only (no per-row queries); status is never writable."""

from rest_framework import serializers

from inspection.core import access
from inspection.core.api import FlatRowSerializerMixin
from inspection.core.batch_api import BatchIdsSerializer, BatchResultSerializer

from ..attachments import ALLOWED_LABEL
from ..models import Attachment, Category, Finding, Hearing, ThirdPartyOpinion, WorkingPaper
from ..workflow import FINDING_WORKFLOW


class FindingCategorySerializer(serializers.Serializer):
    """A node of the requesting office's checklist. `is_active`: not retired by its owner nor by this office;
    `in_force`: usable for new findings now (its ancestors too); `retired_here`: a default node this office
    retired for itself. The view puts the office's retired and in-force ids in the context (two queries a
    request, none a row)."""

    id = serializers.IntegerField(read_only=True)
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    level = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    order = serializers.IntegerField(read_only=True)
    owner = serializers.IntegerField(source="owner_id", read_only=True, allow_null=True, help_text="空为全省默认清单")
    is_default = serializers.BooleanField(read_only=True)
    is_active = serializers.SerializerMethodField()
    retired_here = serializers.SerializerMethodField()
    in_force = serializers.SerializerMethodField()

    def get_retired_here(self, obj) -> bool:
        return obj.pk in self.context["retired_here"]

    def get_is_active(self, obj) -> bool:
        return obj.is_active and obj.pk not in self.context["retired_here"]

    def get_in_force(self, obj) -> bool:
        return obj.pk in self.context["in_force"]


class FindingCategoryWriteSerializer(serializers.Serializer):
    # Scoped by the view to the nodes the user may see: another office's node is "not found", as if absent.
    parent = serializers.PrimaryKeyRelatedField(queryset=Category.objects.none(), required=False, allow_null=True)
    name = serializers.CharField(max_length=200)
    order = serializers.IntegerField(required=False, min_value=0, max_value=32767)
    is_active = serializers.BooleanField(required=False, help_text="停用/启用；默认清单的分类仅对本机构停用/启用")

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents


class FindingListSerializer(FlatRowSerializerMixin, serializers.Serializer):
    """Flat and read-only: every field comes from `selectors.finding_rows()` (the row, its joins, the area)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    round = serializers.IntegerField(source="round_id")
    round_title = serializers.CharField(source="round.title")
    team = serializers.IntegerField(source="team_id")
    team_name = serializers.CharField(source="team.name")
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    category = serializers.IntegerField(source="category_id")
    category_code = serializers.CharField(source="category.code")
    category_name = serializers.CharField(source="category.name")
    area_name = serializers.CharField(source="category.parent.parent.name")
    money_involved = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    fixed_on_site = serializers.BooleanField()
    created_by = serializers.IntegerField(source="created_by_id")
    created_at = serializers.DateTimeField()
    approved_at = serializers.DateTimeField(allow_null=True)


class WorkingPaperSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkingPaper
        fields = ["description", "supporting_facts", "basis", "process_record", "updated_at"]


class FindingAttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "description", "uploaded_by",
                  "uploaded_at", "download_url"]

    def get_download_url(self, obj) -> str:
        request = self.context.get("request")
        path = f"/api/finding-attachments/{obj.pk}/download/"
        return request.build_absolute_uri(path) if request else path


class HearingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hearing
        fields = ["id", "explained_by", "held_on", "explanation", "team_response", "adopted", "recorded_by", "created_at"]
        read_only_fields = ["recorded_by", "created_at"]


class ThirdPartyOpinionSerializer(serializers.ModelSerializer):
    attachment = FindingAttachmentSerializer(read_only=True)

    class Meta:
        model = ThirdPartyOpinion
        fields = ["id", "department", "opinion", "given_on", "attachment", "recorded_by", "created_at"]
        read_only_fields = ["recorded_by", "created_at"]


class FindingMoveSerializer(serializers.Serializer):
    verb = serializers.CharField()
    label = serializers.CharField()
    target = serializers.CharField()
    needs_reason = serializers.BooleanField()


class FindingDetailSerializer(FindingListSerializer):
    facts = serializers.CharField()
    basis = serializers.CharField()
    persons_involved = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawn_reason = serializers.CharField()
    returned_reason = serializers.CharField()
    duplicate_confirmed = serializers.BooleanField()
    working_paper = serializers.SerializerMethodField()
    attachments = FindingAttachmentSerializer(many=True, read_only=True)
    hearings = HearingSerializer(many=True, read_only=True)
    opinions = ThirdPartyOpinionSerializer(many=True, read_only=True)
    available_moves = serializers.SerializerMethodField()
    can_amend = serializers.SerializerMethodField()

    def get_working_paper(self, obj) -> dict | None:
        try:
            paper = obj.working_paper
        except Finding.working_paper.RelatedObjectDoesNotExist:
            return None
        return WorkingPaperSerializer(paper).data

    def _user(self):
        return self.context["request"].user

    def get_available_moves(self, obj) -> list[dict]:
        user = self._user()
        moves = [m for m in FINDING_WORKFLOW.moves_for(obj.status, user) if access.can(user, m.verb, obj)]
        return FindingMoveSerializer(moves, many=True).data

    def get_can_amend(self, obj) -> bool:
        return access.can(self._user(), "amend", obj)


class WorkingPaperInputSerializer(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True)
    supporting_facts = serializers.CharField(required=False, allow_blank=True)
    basis = serializers.CharField(required=False, allow_blank=True)
    process_record = serializers.CharField(required=False, allow_blank=True)


class FindingWriteSerializer(serializers.Serializer):
    """Input for create/update/amend. Round, team and unit come from the team unit (本组负责的被巡察单位)."""

    team_unit = serializers.IntegerField(required=False, help_text="rounds.TeamUnit 的 id（新建时必填）")
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(level=3))
    title = serializers.CharField(max_length=200)
    facts = serializers.CharField()
    basis = serializers.CharField()
    money_involved = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True, min_value=0)
    persons_involved = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    fixed_on_site = serializers.BooleanField(required=False, default=False)
    confirm_not_duplicate = serializers.BooleanField(required=False, default=False)
    working_paper = WorkingPaperInputSerializer(required=False)


class FindingAmendSerializer(FindingWriteSerializer):
    reason = serializers.CharField(help_text="审定后修改的理由（必填）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("category", "title", "facts", "basis"):
            self.fields[name].required = False


class FindingBatchApproveSerializer(BatchIdsSerializer):
    meeting_name = serializers.CharField(label="会议名称", max_length=200, required=False, allow_blank=True, default="")
    meeting_number = serializers.CharField(label="会议编号", max_length=50, required=False, allow_blank=True, default="")
    meeting_date = serializers.DateField(label="会议日期", required=False, allow_null=True, default=None)


class ApprovalMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    number = serializers.CharField()
    held_on = serializers.DateField()


class FindingBatchApproveResultSerializer(BatchResultSerializer):
    meeting = ApprovalMeetingSerializer(allow_null=True, help_text="审定会议（无一审定时为空）")


class FindingReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class FindingAttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=f"允许{ALLOWED_LABEL}")
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class FindingOpinionInputSerializer(serializers.Serializer):
    department = serializers.CharField(max_length=120)
    opinion = serializers.CharField()
    given_on = serializers.DateField()
    file = serializers.FileField(required=False, allow_null=True)


class FindingDuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="finding.pk")
    title = serializers.CharField(source="finding.title")
    round_title = serializers.CharField(source="finding.round.title")
    status = serializers.CharField(source="finding.status")
    similarity = serializers.FloatField()
    visible = serializers.BooleanField()
