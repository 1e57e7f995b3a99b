from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inspection.accounts.models import ReceivingBody
from inspection.core.api import FlatRowSerializerMixin, MaskedInListMixin, moves_for_request
from rounds.models import Round

from ..models import (
    Disposition,
    DispositionKind,
    Lead,
    LeadSource,
    Referral,
    Result,
    ResultKind,
)
from ..workflow import LEAD_TRANSITIONS, REFERRAL_TRANSITIONS


class MoveSerializer(serializers.Serializer):
    verb = serializers.CharField()
    label = serializers.CharField()
    to = serializers.CharField()


def _moves(table, status, context):
    return [{"verb": m.verb, "label": m.label, "to": m.target} for m in moves_for_request(context, table, status)]


class LeadSerializer(MaskedInListMixin, FlatRowSerializerMixin, serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    receiving_body = serializers.IntegerField(source="referral.receiving_body_id", read_only=True, default=None)
    disposition_kind = serializers.SerializerMethodField()
    moves = serializers.SerializerMethodField()

    class Meta:
        model = Lead
        fields = [
            "id", "round", "team", "unit", "source", "finding", "petition", "source_detail",
            "subject_name", "subject_post", "subject_unit", "subject_rank", "summary",
            "petition_conclusion", "petition_conclusion_text", "status", "status_label", "referral",
            "receiving_body", "referred_at", "received_at", "disposition_due_on", "disposed_at", "concluded_at",
            "disposition_kind", "created_at", "moves",
        ]
        read_only_fields = fields

    def get_disposition_kind(self, lead) -> str | None:
        disposition = getattr(lead, "disposition", None) if lead.status in ("disposed", "concluded") else None
        return disposition.kind if disposition else None

    @extend_schema_field(MoveSerializer(many=True))
    def get_moves(self, lead):
        return _moves(LEAD_TRANSITIONS, lead.status, self.context)


class LeadCreateSerializer(serializers.Serializer):
    round = serializers.PrimaryKeyRelatedField(queryset=Round.objects.all(), label="轮次")
    source = serializers.ChoiceField(choices=LeadSource.choices, label="线索来源")
    finding = serializers.IntegerField(required=False, allow_null=True, label="来源问题")
    petition = serializers.IntegerField(required=False, allow_null=True, label="来源信访件")
    source_detail = serializers.CharField(required=False, allow_blank=True, max_length=200)
    subject_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    subject_post = serializers.CharField(required=False, allow_blank=True, max_length=100)
    subject_unit = serializers.CharField(required=False, allow_blank=True, max_length=120)
    subject_rank = serializers.CharField(required=False, allow_blank=True, max_length=40)
    summary = serializers.CharField(required=False, allow_blank=True)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(label="撤销理由")


class ReferralSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    receiving_body_name = serializers.CharField(source="receiving_body.name", read_only=True)
    lead_count = serializers.IntegerField(read_only=True, default=None)
    letter_url = serializers.SerializerMethodField()
    moves = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id", "receiving_body", "receiving_body_name", "letter_number", "letter_date", "title", "notes",
            "status", "status_label", "sent_at", "signed_at", "signed_by", "lead_count", "letter_url",
            "letter_rendered_at", "created_at", "moves",
        ]
        read_only_fields = fields

    def get_letter_url(self, referral) -> str | None:
        if not referral.letter_pdf:
            return None
        return reverse("referrals:batch_letter", args=[referral.pk])

    @extend_schema_field(MoveSerializer(many=True))
    def get_moves(self, referral):
        return _moves(REFERRAL_TRANSITIONS, referral.status, self.context)


class ReferralCreateSerializer(serializers.Serializer):
    receiving_body = serializers.PrimaryKeyRelatedField(queryset=ReceivingBody.objects.all(), label="接收单位")
    letter_number = serializers.CharField(max_length=60, label="移交函文号")
    letter_date = serializers.DateField(label="移交日期")
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    notes = serializers.CharField(required=False, allow_blank=True)
    leads = serializers.ListField(child=serializers.IntegerField(), allow_empty=False, label="问题线索")


class DispositionSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Disposition
        fields = ["id", "lead", "kind", "kind_label", "decided_on", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


class DispositionCreateSerializer(serializers.Serializer):
    lead = serializers.IntegerField(label="问题线索")
    kind = serializers.ChoiceField(choices=DispositionKind.choices, label="处置方式")
    decided_on = serializers.DateField(required=False, label="处置日期")
    note = serializers.CharField(required=False, allow_blank=True)


class ResultSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Result
        fields = ["id", "lead", "kind", "kind_label", "people_count", "money_recovered", "note", "recorded_by",
                  "recorded_at"]
        read_only_fields = fields


class ResultItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ResultKind.choices, label="结果类别")
    people_count = serializers.IntegerField(min_value=0, max_value=10000, default=0)
    money_recovered = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, default=0)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResultCreateSerializer(serializers.Serializer):
    lead = serializers.IntegerField(label="问题线索")
    results = ResultItemSerializer(many=True, allow_empty=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
