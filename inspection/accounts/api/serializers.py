from rest_framework import serializers

from ..models import Jurisdiction, ReceivingBody, User


class JurisdictionSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Jurisdiction
        fields = [
            "id", "name", "office_name", "level", "level_label", "parent", "plan_due_days", "report_due_days",
            "immediate_fix_days", "disposition_due_days", "remind_before_days", "escalate_after_days",
        ]
        read_only_fields = fields


class ReceivingBodySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ReceivingBody
        fields = ["id", "jurisdiction", "name", "kind", "kind_label", "is_active"]
        read_only_fields = fields


class UserSerializer(serializers.ModelSerializer):
    """An account as the system administrator's integration needs it: who, which role where. No telephone (personal
    data, on the account page only) and nothing of the credentials."""

    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = [
            "id", "username", "display_name", "role", "role_label", "jurisdiction", "unit", "receiving_body",
            "is_active", "last_login", "date_joined",
        ]
        read_only_fields = fields
