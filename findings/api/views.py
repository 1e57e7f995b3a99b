"""REST endpoints for findings: list/search/filter, detail, create/update, one action per transition, amend,
the near-duplicate check, evidence uploads and downloads. No DELETE: nothing is hard-deleted."""

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from inspection.core import access
from inspection.core.api import ScopedViewSetMixin, access_action
from inspection.core.batch_api import BatchIdsSerializer, BatchResultSerializer, batch_data
from inspection.units.models import Unit
from rounds.models import TeamUnit

from .. import selectors, services
from ..attachments import download_response
from ..filters import FindingFilter
from ..models import Attachment, Category, Finding
from . import serializers as s


class CategoryViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    mixins.UpdateModelMixin, viewsets.GenericViewSet,
):
    """The requesting office's checklist: the default tree and its own nodes. The office adds, renames,
    reorders and retires (is_active=false) its own nodes; a default node it may only retire or restore for
    itself (the province office maintains the default tree)."""

    queryset = Category.objects.all()
    pagination_class = None
    filter_backends = []

    def get_serializer_class(self):
        return s.FindingCategoryWriteSerializer if self.action in ("create", "update", "partial_update") else s.FindingCategorySerializer

    def base_queryset(self):
        return Category.objects.order_by("code", "id")

    def get_serializer_context(self):
        office = self.request.user.jurisdiction_id
        return {
            **super().get_serializer_context(),
            "retired_here": set(selectors.retired_here(office).values_list("category_id", flat=True)) if office else set(),
            "in_force": set(selectors.effective_checklist(office).values_list("pk", flat=True)),
        }

    def _out(self, category, code=status.HTTP_200_OK):
        return Response(s.FindingCategorySerializer(category, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        data = self._valid(request)
        category = services.category_create(
            actor=request.user, name=data["name"], parent=data.get("parent"), order=data.get("order")
        )
        return self._out(category, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        category = self.get_object()
        data = self._valid(request, partial=True)
        if "name" in data or "order" in data:
            category = services.category_update(
                category=category, actor=request.user, name=data.get("name", category.name),
                order=data.get("order", category.order),
            )
        if "is_active" in data:
            category = services.category_set_active(category=category, actor=request.user, active=data["is_active"])
        return self._out(category)

    def _valid(self, request, partial=False):
        serializer = s.FindingCategoryWriteSerializer(
            data=request.data, partial=partial, parents=access.visible(request.user, Category)
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def _verb_action(verb, url_path, needs_reason=False, name=None):
    """One @action per transition verb; the name is set before decorating because DRF maps methods by it."""

    def handler(self, request, pk=None):
        finding = self.get_object()
        reason = ""
        if needs_reason:
            serializer = s.FindingReasonSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            reason = serializer.validated_data["reason"]
        services.finding_transition(finding=finding, actor=request.user, verb=verb, reason=reason)
        return self._detail(finding.pk)

    handler.__name__ = name or verb
    handler = access_action(verb)(handler)
    handler = action(detail=True, methods=["post"], url_path=url_path)(handler)
    return extend_schema(request=s.FindingReasonSerializer if needs_reason else None, responses=s.FindingDetailSerializer)(
        handler
    )


class FindingViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet,
):
    """Findings in the user's scope. Search: `q` (title and facts, Chinese substring); filters: round, team,
    unit, category (any level), status, fixed_on_site. Cursor-paginated."""

    queryset = Finding.objects.all()
    filter_backends = [DjangoFilterBackend]
    filterset_class = FindingFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def base_queryset(self):
        if self.action == "list":
            return selectors.finding_rows()
        return Finding.objects.select_related(
            "round", "round__plan", "team", "unit", "category", "category__parent", "category__parent__parent",
            "working_paper",
        ).prefetch_related("attachments", "hearings", "opinions__attachment")

    def get_serializer_class(self):
        if self.action == "list":
            return s.FindingListSerializer
        if self.action in ("create", "update", "partial_update"):
            return s.FindingWriteSerializer
        return s.FindingDetailSerializer

    def _detail(self, pk, code=status.HTTP_200_OK):
        instance = self.base_queryset().prefetch_related(
            "attachments", "hearings", "opinions__attachment"
        ).select_related("working_paper").get(pk=pk)
        return Response(s.FindingDetailSerializer(instance, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=s.FindingWriteSerializer, responses={201: s.FindingDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = s.FindingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        team_unit_id = data.pop("team_unit", None)
        team_unit = TeamUnit.objects.select_related("round").filter(pk=team_unit_id).first() if team_unit_id else None
        if team_unit is None:
            raise exceptions.ValidationError({"team_unit": ["请选择本组负责的被巡察单位"]})
        finding = services.finding_create(
            actor=request.user, team_unit=team_unit, working_paper=data.pop("working_paper", {}), **data
        )
        return self._detail(finding.pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.FindingWriteSerializer, responses=s.FindingDetailSerializer)
    def update(self, request, *args, **kwargs):
        finding = self.get_object()
        serializer = s.FindingWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("team_unit", None)
        services.finding_update(
            finding=finding, actor=request.user, working_paper=data.pop("working_paper", None),
            confirm_not_duplicate=data.pop("confirm_not_duplicate", False), **data,
        )
        return self._detail(finding.pk)

    @extend_schema(request=s.FindingWriteSerializer, responses=s.FindingDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    submit = _verb_action("submit", "submit")
    leader_approve = _verb_action("leader_approve", "leader-approve")
    return_ = _verb_action("return", "return", needs_reason=True, name="return_")
    office_review = _verb_action("office_review", "office-review")
    approve = _verb_action("approve", "approve")
    withdraw = _verb_action("withdraw", "withdraw", needs_reason=True)

    @extend_schema(request=s.FindingBatchApproveSerializer, responses=s.FindingBatchApproveResultSerializer)
    @action(detail=False, methods=["post"], url_path="batch-approve", filter_backends=[], pagination_class=None)
    @access_action("approve")
    def batch_approve(self, request):
        data = s.FindingBatchApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = services.findings_batch_approve(
            actor=request.user, ids=values["ids"], meeting_name=values["meeting_name"],
            meeting_number=values["meeting_number"], meeting_date=values["meeting_date"],
        )
        meeting = result.record
        return Response({
            **batch_data(result),
            "meeting": None if meeting is None else {
                "id": meeting.pk, "name": meeting.name, "number": meeting.number, "held_on": meeting.held_on,
            },
        })

    batch_approve.api_doc = (
        "领导小组在一次会议上审定所选问题：每个问题各自走“领导小组审定”并留有状态变更记录，审定会议（名称、编号、日期）"
        "记在每条审定记录上。不能审定的问题逐条列出原因（如尚未经巡察办审核），其余照常审定。"
    )

    @extend_schema(request=BatchIdsSerializer, responses=BatchResultSerializer)
    @action(detail=False, methods=["post"], url_path="batch-office-review", filter_backends=[], pagination_class=None)
    @access_action("office_review")
    def batch_office_review(self, request):
        data = BatchIdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.findings_batch_office_review(actor=request.user, ids=data.validated_data["ids"])
        return Response(batch_data(result))

    batch_office_review.api_doc = (
        "巡察办批量审核所选问题：每个问题各自走“巡察办审核通过”；不能审核的问题逐条列出原因，其余照常办理。"
    )

    @extend_schema(request=s.FindingAmendSerializer, responses=s.FindingDetailSerializer)
    @action(detail=True, methods=["post"])
    @access_action("amend")
    def amend(self, request, pk=None):
        """不准随意推翻: a change to an approved finding, by the office, with a written reason."""
        finding = self.get_object()
        serializer = s.FindingAmendSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        for name in ("team_unit", "confirm_not_duplicate"):
            data.pop(name, None)
        services.finding_amend(
            finding=finding, actor=request.user, reason=data.pop("reason", ""),
            working_paper=data.pop("working_paper", None), **data,
        )
        return self._detail(finding.pk)

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, required=True), OpenApiParameter("title", str),
            OpenApiParameter("facts", str), OpenApiParameter("exclude", int),
        ],
        responses=s.FindingDuplicateSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    @access_action("view")
    def duplicates(self, request):
        """Near-duplicate findings of a unit (this round and earlier ones) for the text being written."""
        unit = request.query_params.get("unit", "")
        if not unit.isdigit():
            raise exceptions.ValidationError({"unit": ["请提供被巡察单位 id"]})
        if not access.visible(request.user, Unit).filter(pk=unit).exists():
            raise Http404
        exclude = request.query_params.get("exclude", "")
        found = selectors.near_duplicates(
            request.user, unit_id=int(unit), title=request.query_params.get("title", ""),
            facts=request.query_params.get("facts", ""), exclude_pk=int(exclude) if exclude.isdigit() else None,
        )
        return Response(s.FindingDuplicateSerializer(found, many=True).data)

    @extend_schema(request={"multipart/form-data": s.FindingAttachmentUploadSerializer}, responses={201: s.FindingAttachmentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    @access_action("add_evidence")
    def attachments(self, request, pk=None):
        finding = self.get_object()
        serializer = s.FindingAttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            finding=finding, actor=request.user, uploaded=serializer.validated_data["file"],
            description=serializer.validated_data["description"],
        )
        return Response(s.FindingAttachmentSerializer(attachment, context={"request": request}).data, status=201)

    @extend_schema(request=s.HearingSerializer, responses={201: s.HearingSerializer})
    @action(detail=True, methods=["post"])
    @access_action("add_evidence")
    def hearings(self, request, pk=None):
        finding = self.get_object()
        serializer = s.HearingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hearing = services.hearing_add(finding=finding, actor=request.user, **serializer.validated_data)
        return Response(s.HearingSerializer(hearing).data, status=201)

    @extend_schema(request={"multipart/form-data": s.FindingOpinionInputSerializer}, responses={201: s.ThirdPartyOpinionSerializer})
    @action(detail=True, methods=["post"])
    @access_action("add_evidence")
    def opinions(self, request, pk=None):
        finding = self.get_object()
        serializer = s.FindingOpinionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        opinion = services.opinion_add(
            finding=finding, actor=request.user, department=data["department"], opinion=data["opinion"],
            given_on=data["given_on"], uploaded=data.get("file"),
        )
        return Response(s.ThirdPartyOpinionSerializer(opinion, context={"request": request}).data, status=201)


class AttachmentViewSet(ScopedViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Attachment metadata and the permission-checked download (keeps the Chinese file name)."""

    queryset = Attachment.objects.all()
    serializer_class = s.FindingAttachmentSerializer
    filter_backends = []

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    @access_action("view")
    def download(self, request, pk=None):
        attachment = self.get_object()
        if not attachment.file or not attachment.file.storage.exists(attachment.file.name):
            raise Http404
        return download_response(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)
