"""Back-office admin for the superuser. Nothing is deleted here either; the service checks still apply."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from inspection.core.exceptions import DomainError

from . import services
from .models import Cadre, RecusalFactor, Specialty, Unit


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False


def _as_validation_error(exc: DomainError):
    return ValidationError({exc.field: exc.message} if exc.field else exc.message)


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "jurisdiction",
            "name",
            "kind",
            "parent",
            "party_org_name",
            "head_name",
            "head_post",
            "staff_count",
            "address",
            "is_active",
        ]

    def clean(self):
        cleaned = super().clean()
        jurisdiction = cleaned.get("jurisdiction")
        if jurisdiction is not None and not self.errors:
            probe = Unit(pk=self.instance.pk, name=cleaned.get("name"), parent=cleaned.get("parent"))
            try:
                services.check_unit(unit=probe, jurisdiction_id=jurisdiction.pk)
            except DomainError as exc:
                raise _as_validation_error(exc) from exc
        return cleaned


class CadreAdminForm(forms.ModelForm):
    class Meta:
        model = Cadre
        fields = [
            "jurisdiction",
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
            "is_active",
            "notes",
        ]

    def clean(self):
        cleaned = super().clean()
        jurisdiction = cleaned.get("jurisdiction")
        if jurisdiction is not None and not self.errors:
            probe = Cadre(
                pk=self.instance.pk,
                name=cleaned.get("name"),
                pool=cleaned.get("pool"),
                joined_via=cleaned.get("joined_via"),
                employer=cleaned.get("employer"),
                user=cleaned.get("user"),
            )
            try:
                services.check_cadre(cadre=probe, jurisdiction_id=jurisdiction.pk)
            except DomainError as exc:
                raise _as_validation_error(exc) from exc
        return cleaned


@admin.register(Unit)
class UnitAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    form = UnitAdminForm
    list_display = ["name", "kind", "parent", "head_name", "jurisdiction", "is_active"]
    list_filter = ["jurisdiction", "kind", "is_active"]
    search_fields = ["name", "party_org_name", "head_name"]
    list_select_related = ["parent", "jurisdiction"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["created_at"]


@admin.register(Specialty)
class SpecialtyAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "code", "counts_as_finance"]
    list_editable = ["counts_as_finance"]
    search_fields = ["name", "code"]


class RecusalFactorInline(admin.TabularInline):
    model = RecusalFactor
    extra = 0
    autocomplete_fields = ["unit"]
    fields = ["unit", "kind", "description", "declared_at", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Cadre)
class CadreAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    form = CadreAdminForm
    list_display = ["name", "pool", "joined_via", "employer", "employer_name", "post", "jurisdiction", "is_active"]
    list_filter = ["jurisdiction", "pool", "joined_via", "specialties", "is_active"]
    search_fields = ["name", "post", "employer__name", "employer_name"]
    list_select_related = ["employer", "jurisdiction"]
    autocomplete_fields = ["employer", "user"]
    filter_horizontal = ["specialties"]
    inlines = [RecusalFactorInline]


@admin.register(RecusalFactor)
class RecusalFactorAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["cadre", "unit", "kind", "declared_at", "is_active"]
    list_filter = ["kind", "is_active", "cadre__jurisdiction"]
    search_fields = ["cadre__name", "unit__name", "description"]
    list_select_related = ["cadre", "unit"]
    autocomplete_fields = ["cadre", "unit"]
