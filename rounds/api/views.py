"""Rounds API: ViewSets through `inspection.core.access`; every write calls a `rounds.services` function."""

from django.db.models import Count
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from inspection.audit.services import read_log_record, read_log_record_many
from inspection.core import access
from inspection.core.api import ScopedViewSetMixin, access_action

from .. import selectors, services
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
    Plan,
    RecusalCheck,
    Round,
    Team,
    TeamUnit,
)
from . import serializers as s


class NoDeleteViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create, update: nothing is hard-deleted."""


def _conflict_response(exc: services.RecusalConflict) -> Response:
    return Response(
        {exc.field or "non_field_errors": [exc.message], "recusal_checks": [c.pk for c in exc.checks]},
        status=status.HTTP_400_BAD_REQUEST,
    )


class PlanViewSet(NoDeleteViewSet):
    queryset = Plan.objects.annotate(unit_count=Count("units", distinct=True))
    serializer_class = s.TermPlanSerializer
    filterset_fields = ["start_year"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        units = data.pop("units", [])
        plan = Plan(jurisdiction_id=self.request.user.jurisdiction_id, **data)
        serializer.instance = services.plan_save(plan=plan, units=units, actor=self.request.user)
        serializer.instance.unit_count = len(units)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        plan = serializer.instance
        units = data.pop("units", None)
        for key, value in data.items():
            setattr(plan, key, value)
        units = list(plan.units.all()) if units is None else units
        services.plan_save(plan=plan, units=units, actor=self.request.user)
        plan.unit_count = len(units)

    @action(detail=True, methods=["get"])
    @access_action("view")
    def coverage(self, request, pk=None):
        plan = self.get_object()
        coverage = selectors.plan_coverage(plan)
        uninspected = selectors.plan_unit_rows(plan).filter(inspected=False).order_by("kind", "name")
        coverage["uninspected"] = [{"id": u.pk, "name": u.name, "kind": u.kind} for u in uninspected]
        return Response(coverage)


class RoundViewSet(NoDeleteViewSet):
    queryset = Round.objects.select_related("plan").prefetch_related("lookback_of")
    serializer_class = s.RoundSerializer
    filterset_fields = ["plan", "phase", "kind"]

    def perform_create(self, serializer):
        serializer.instance = services.round_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("plan", None)
        serializer.instance = services.round_update(round=serializer.instance, actor=self.request.user, **data)

    @action(detail=True, methods=["post"], url_path="change-phase", serializer_class=s.ChangePhaseSerializer)
    @access_action("change_phase")
    def change_phase(self, request, pk=None):
        round = self.get_object()
        payload = s.ChangePhaseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        round = services.round_change_phase(round=round, actor=request.user, **payload.validated_data)
        return Response(s.RoundSerializer(round, context=self.get_serializer_context()).data)


class TeamViewSet(NoDeleteViewSet):
    queryset = Team.objects.all()
    serializer_class = s.TeamSerializer
    filterset_fields = ["round"]

    def base_queryset(self):
        return selectors.team_detail_queryset()

    def perform_create(self, serializer):
        team = services.team_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = selectors.team_detail_queryset().get(pk=team.pk)

    def perform_update(self, serializer):
        name = serializer.validated_data.get("name", serializer.instance.name)
        services.team_rename(team=serializer.instance, name=name, actor=self.request.user)

    def _fresh(self, team):
        return Response(s.TeamSerializer(selectors.team_detail_queryset().get(pk=team.pk), context=self.get_serializer_context()).data)

    # A create answers with the record it created (201): the place, or the assignment a finding names.
    @extend_schema(request=s.AddMemberSerializer, responses={201: s.MembershipSerializer})
    @action(detail=True, methods=["post"], serializer_class=s.AddMemberSerializer)
    @access_action("change")
    def members(self, request, pk=None):
        team = self.get_object()
        payload = s.AddMemberSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        try:
            membership = services.team_add_member(team=team, actor=request.user, **payload.validated_data)
        except services.RecusalConflict as exc:
            return _conflict_response(exc)
        return Response(s.MembershipSerializer(membership, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AddUnitSerializer, responses={201: s.TeamUnitSerializer})
    @action(detail=True, methods=["post"], serializer_class=s.AddUnitSerializer)
    @access_action("change")
    def units(self, request, pk=None):
        team = self.get_object()
        payload = s.AddUnitSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        try:
            team_unit = services.team_add_unit(team=team, actor=request.user, **payload.validated_data)
        except services.RecusalConflict as exc:
            return _conflict_response(exc)
        team_unit = TeamUnit.all_objects.select_related("team", "unit", "moved_to").get(pk=team_unit.pk)
        return Response(s.TeamUnitSerializer(team_unit, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


_WITHDRAWN_PARAMETER = OpenApiParameter(
    "withdrawn", bool, description="true：只列出已调整出组的安排；不填或 false：只列出现行安排", required=False
)


@extend_schema_view(list=extend_schema(parameters=[_WITHDRAWN_PARAMETER]))
class TeamUnitViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Assignments of units to teams. Nothing is deleted: a unit is taken off its team by `withdraw`."""

    queryset = TeamUnit.all_objects.select_related("team", "unit", "moved_to").order_by("round_id", "team_id", "id")
    serializer_class = s.TeamUnitSerializer
    filterset_fields = ["round", "team", "unit"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list":
            withdrawn = self.request.query_params.get("withdrawn") in ("1", "true", "True")
            queryset = queryset.filter(withdrawn_at__isnull=not withdrawn)
        return queryset

    @extend_schema(
        request=s.WithdrawUnitSerializer,
        responses={
            200: s.TeamUnitSerializer,
            400: OpenApiResponse(
                description="中文说明：缺少理由（reason）、接收组不在本轮（to_team）、回避冲突（to_team，附 recusal_checks）、"
                "已进驻不能调整（non_field_errors）"
            ),
        },
        description="将被巡察单位调整出组（仅准备阶段，仅巡察办）：填 `to_team` 则调整至本轮其他巡察组（对接收组重新进行回避检查），"
        "否则撤出本轮巡察。原安排保留调整时间、调整人和理由。",
    )
    @action(detail=True, methods=["post"], serializer_class=s.WithdrawUnitSerializer)
    @access_action("withdraw")
    def withdraw(self, request, pk=None):
        access.require(request.user, "withdraw", TeamUnit)
        # Found among withdrawn assignments too, so that a second withdrawal is told why rather than refused.
        team_unit = self.get_queryset().filter(pk=pk).first()
        if team_unit is None:
            raise NotFound("未找到该记录，或您无权查看")
        if not team_unit.is_withdrawn:
            self.check_object_permissions(request, team_unit)
        payload = s.WithdrawUnitSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        try:
            team_unit = services.team_unit_withdraw(team_unit=team_unit, actor=request.user, **payload.validated_data)
        except services.RecusalConflict as exc:
            return _conflict_response(exc)
        return Response(s.TeamUnitSerializer(self.get_queryset().get(pk=team_unit.pk)).data)


class MembershipViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Membership.objects.select_related("cadre")
    serializer_class = s.MembershipSerializer
    filterset_fields = ["team", "is_active"]

    @action(detail=True, methods=["post"], serializer_class=s.RoundsReasonSerializer)
    @access_action("remove")
    def remove(self, request, pk=None):
        membership = self.get_object()
        payload = s.RoundsReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        membership = services.membership_remove(membership=membership, actor=request.user, **payload.validated_data)
        return Response(s.MembershipSerializer(membership).data)

    @action(detail=True, methods=["post"], url_path="recusal-application", serializer_class=s.RecusalApplicationSerializer)
    @access_action("apply_recusal")
    def recusal_application(self, request, pk=None):
        membership = self.get_object()
        payload = s.RecusalApplicationSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        check = services.recusal_application_file(membership=membership, actor=request.user, **payload.validated_data)
        return Response(s.RecusalCheckSerializer(check).data, status=status.HTTP_201_CREATED)


class RecusalCheckViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = RecusalCheck.objects.select_related("cadre", "team")
    serializer_class = s.RecusalCheckSerializer
    filterset_fields = ["round", "team", "result", "stage"]

    @action(detail=True, methods=["post"], serializer_class=s.RoundsReasonSerializer)
    @access_action("override")
    def override(self, request, pk=None):
        check = self.get_object()
        payload = s.RoundsReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        check = services.recusal_check_override(check=check, actor=request.user, **payload.validated_data)
        return Response(s.RecusalCheckSerializer(check).data)


class RecordViewSet(NoDeleteViewSet):
    """Announcements, info requests, material items, interviews: saved through `services.record_save`; petitions and
    inquiries override `_save` with their own (versioned) services."""

    save_service = staticmethod(services.record_save)

    def _save(self, instance):
        return self.save_service(instance=instance, actor=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = self._save(self.get_queryset().model(**serializer.validated_data))

    def perform_update(self, serializer):
        instance = serializer.instance
        for key, value in serializer.validated_data.items():
            setattr(instance, key, value)
        serializer.instance = self._save(instance)


class SecretRecordViewSet(RecordViewSet):
    """Every read of a secret record (list row or detail) is logged; outsiders get 404, never 403, on a record."""

    def permission_denied(self, request, message=None, code=None):
        if request.user.is_authenticated and self.kwargs.get(self.lookup_url_kwarg or self.lookup_field):
            raise NotFound("未找到该记录，或您无权查看")
        super().permission_denied(request, message=message, code=code)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        read_log_record_many(user=request.user, objects=page, request=request)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        read_log_record(user=request.user, obj=instance, request=request)
        return Response(self.get_serializer(instance).data)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        # The answer is the whole record, secret fields the request did not send included: a read.
        read_log_record(user=self.request.user, obj=serializer.instance, request=self.request)


class AnnouncementViewSet(RecordViewSet):
    queryset = Announcement.objects.all()
    serializer_class = s.AnnouncementSerializer
    filterset_fields = ["round", "team"]


class InfoRequestViewSet(RecordViewSet):
    queryset = InfoRequest.objects.all()
    serializer_class = s.InfoRequestSerializer
    filterset_fields = ["round", "unit", "recipient"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.request.query_params.get("overdue") in ("1", "true"):
            queryset = selectors.info_requests_overdue(queryset)
        return queryset


class MaterialItemViewSet(RecordViewSet):
    queryset = MaterialItem.objects.all()
    serializer_class = s.MaterialItemSerializer
    filterset_fields = ["round", "unit"]

    @extend_schema(request=s.ApplyDefaultSerializer, responses={201: s.AppliedDefaultSerializer})
    @action(detail=False, methods=["post"], url_path="apply-default", serializer_class=s.ApplyDefaultSerializer)
    @access_action("add")
    def apply_default(self, request):
        payload = s.ApplyDefaultSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        created = services.material_list_apply_default(actor=request.user, **payload.validated_data)
        answer = s.AppliedDefaultSerializer({"created": len(created), "items": created},
                                            context=self.get_serializer_context())
        return Response(answer.data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], serializer_class=s.ReceiveSerializer)
    @access_action("change")
    def receive(self, request, pk=None):
        item = self.get_object()
        payload = s.ReceiveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        item = services.material_item_receive(item=item, actor=request.user, **payload.validated_data)
        return Response(s.MaterialItemSerializer(item).data)


class DefaultMaterialItemViewSet(NoDeleteViewSet):
    queryset = DefaultMaterialItem.objects.all()
    serializer_class = s.DefaultMaterialItemSerializer

    def perform_create(self, serializer):
        item = DefaultMaterialItem(jurisdiction_id=self.request.user.jurisdiction_id, **serializer.validated_data)
        serializer.instance = services.default_material_item_save(item=item, actor=self.request.user)

    def perform_update(self, serializer):
        for key, value in serializer.validated_data.items():
            setattr(serializer.instance, key, value)
        services.default_material_item_save(item=serializer.instance, actor=self.request.user)


class PetitionViewSet(SecretRecordViewSet):
    queryset = Petition.objects.all()
    serializer_class = s.PetitionSerializer
    filterset_fields = ["round", "team", "unit", "channel", "conclusion", "is_anonymous"]

    def _save(self, instance):
        return services.petition_save(petition=instance, actor=self.request.user)


class InquiryViewSet(SecretRecordViewSet):
    queryset = Inquiry.objects.all()
    serializer_class = s.InquirySerializer
    filterset_fields = ["round", "team", "manner"]

    def _save(self, instance):
        return services.inquiry_save(inquiry=instance, actor=self.request.user)


class InterviewViewSet(SecretRecordViewSet):
    queryset = Interview.objects.all()
    serializer_class = s.InterviewSerializer
    filterset_fields = ["round", "team", "unit"]

    @extend_schema(responses=s.InterviewCountSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="counts", pagination_class=None)
    @access_action("view")
    def counts(self, request):
        rows = selectors.interview_counts_by_unit(self.filter_queryset(self.get_queryset()))
        return Response(s.InterviewCountSerializer(rows, many=True).data)




class CadreEvaluationViewSet(NoDeleteViewSet):
    queryset = CadreEvaluation.objects.select_related("membership__cadre", "membership__team")
    serializer_class = s.CadreEvaluationSerializer
    filterset_fields = ["membership__team", "membership__team__round", "grade"]

    def _save(self, serializer, membership):
        data = serializer.validated_data
        serializer.instance = services.cadre_evaluate(
            membership=membership, score=data["score"], comment=data.get("comment", ""),
            reason=data.get("reason", ""), actor=self.request.user,
        )

    def perform_create(self, serializer):
        self._save(serializer, serializer.validated_data["membership"])

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance.membership)
