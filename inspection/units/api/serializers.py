"""Flat read serializers for lists (no per-row queries), write serializers that hand over to services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inspection.accounts.models import Role, User
from inspection.core import access
from inspection.core.api import MaskedInListMixin

from ..models import Cadre, RecusalFactor, Specialty, Unit, UnitKind


def _named_choice_field(choices, component_name):
    """Several models have a `kind`; a named enum component keeps the schema free of name collisions."""
    schema = {
        "type": "string",
        "enum": [value for value, _ in choices],
        "description": "；".join(f"`{value}` {label}" for value, label in choices),
    }

    @extend_schema_field(schema, component_name=component_name)
    class NamedChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return NamedChoiceField


UnitKindField = _named_choice_field(UnitKind.choices, "UnitKindEnum")
RecusalKindField = _named_choice_field(RecusalFactor.Kind.choices, "RecusalKindEnum")


class UnitReadSerializer(serializers.ModelSerializer):
    kind = UnitKindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "parent",
            "parent_name",
            "party_org_name",
            "head_name",
            "head_post",
            "staff_count",
            "address",
            "is_active",
            "created_at",
        ]
        read_only_fields = fields


class _ScopedRelatedMixin:
    """Related choices come from what the requesting user may see, so ids of other offices do not resolve."""

    def scoped_units(self):
        request = self.context.get("request")
        if request is None:
            return Unit.objects.none()
        return access.visible(request.user, Unit)


class UnitWriteSerializer(_ScopedRelatedMixin, serializers.ModelSerializer):
    kind = UnitKindField()
    class Meta:
        model = Unit
        fields = ["name", "kind", "parent", "party_org_name", "head_name", "head_post", "staff_count", "address"]
        # Uniqueness per jurisdiction is checked by the service (the jurisdiction comes from the user).
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        fields["parent"].queryset = self.scoped_units()
        return fields


class CadreReadSerializer(MaskedInListMixin, serializers.ModelSerializer):
    pool_label = serializers.CharField(source="get_pool_display", read_only=True)
    joined_via_label = serializers.CharField(source="get_joined_via_display", read_only=True)
    # Declared so the schema admits the blank value an unrecorded gender has (read-only fields lose allow_blank).
    gender = serializers.ChoiceField(choices=Cadre.Gender.choices, allow_blank=True, read_only=True)
    gender_label = serializers.CharField(source="get_gender_display", read_only=True)
    employer_label = serializers.CharField(read_only=True)
    specialties = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    recusal_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Cadre
        fields = [
            "id",
            "name",
            "gender",
            "gender_label",
            "pool",
            "pool_label",
            "joined_via",
            "joined_via_label",
            "joined_on",
            "employer",
            "employer_name",
            "employer_label",
            "post",
            "rank",
            "specialties",
            "phone",
            "id_number",
            "user",
            "recusal_count",
            "is_active",
        ]
        read_only_fields = fields


class CadreWriteSerializer(_ScopedRelatedMixin, serializers.ModelSerializer):
    specialties = serializers.PrimaryKeyRelatedField(many=True, queryset=Specialty.objects.all(), required=False)

    class Meta:
        model = Cadre
        fields = [
            "name",
            "gender",
            "pool",
            "joined_via",
            "joined_on",
            "employer",
            "employer_name",
            "post",
            "rank",
            "specialties",
            "phone",
            "id_number",
            "user",
            "notes",
        ]

    def get_fields(self):
        fields = super().get_fields()
        fields["employer"].queryset = self.scoped_units()
        request = self.context.get("request")
        jurisdiction_id = getattr(request.user, "jurisdiction_id", None) if request else None
        fields["user"].queryset = User.objects.filter(
            jurisdiction_id=jurisdiction_id, role__in=[Role.TEAM_LEADER, Role.TEAM_MEMBER]
        )
        return fields


class RecusalFactorReadSerializer(serializers.ModelSerializer):
    kind = RecusalKindField(read_only=True)
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = RecusalFactor
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "unit",
            "unit_name",
            "kind",
            "kind_label",
            "description",
            "declared_at",
            "is_active",
        ]
        read_only_fields = fields


class RecusalFactorWriteSerializer(_ScopedRelatedMixin, serializers.ModelSerializer):
    kind = RecusalKindField()
    class Meta:
        model = RecusalFactor
        fields = ["cadre", "unit", "kind", "description", "declared_at", "is_active"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        fields["unit"].queryset = self.scoped_units()
        fields["cadre"].queryset = access.visible(request.user, Cadre) if request else Cadre.objects.none()
        return fields
