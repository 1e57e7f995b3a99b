"""REST API of the referrals app. Thin: validate, fetch through access, call a service, answer."""

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from inspection.audit.services import read_log_record, read_log_record_many
from inspection.core import access
from inspection.core.api import AccessPermission, ScopedViewSetMixin, access_action
from inspection.core.exceptions import DomainError
from rounds.models import Plan, Round

from .. import selectors, services
from ..filters import LeadFilter, ReferralFilter
from ..models import Disposition, Lead, Referral, Result
from . import serializers as s


class SecretAccessPermission(AccessPermission):
    """As AccessPermission, but a role that may never see these secret records gets 404 on a record URL."""

    def has_permission(self, request, view):
        if (
            request.user.is_authenticated
            and getattr(view, "detail", False)
            and not access.policy_for(view.get_queryset().model).role_allows(request.user, "view")
        ):
            raise NotFound("未找到该记录，或您无权查看")
        return super().has_permission(request, view)


class LoggedReadMixin:
    permission_classes = [SecretAccessPermission]

    """Every read of a secret record is logged: one row per record listed, one per record opened."""

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        read_log_record_many(user=request.user, objects=getattr(self, "_page_objects", []), request=request)
        return response

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._page_objects = list(page) if page is not None else list(queryset)
        return page

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        read_log_record(user=request.user, obj=instance, request=request)
        return Response(self.get_serializer(instance).data)


class CreateWithMixin:
    """create() validates with `create_serializer_class`, calls `perform_service`, answers with the read form."""

    create_serializer_class = None

    def get_serializer_class(self):
        if self.action == "create":
            return self.create_serializer_class
        return self.serializer_class

    def create(self, request, *args, **kwargs):
        serializer = self.create_serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.perform_service(serializer.validated_data)
        return Response(self.serializer_class(obj, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


def _visible_lead(user, lead_id):
    return access.get_visible_or_404(user, Lead.objects.select_related("referral"), pk=lead_id)


class LeadViewSet(LoggedReadMixin, CreateWithMixin, ScopedViewSetMixin, mixins.ListModelMixin,
                  mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = Lead.objects.select_related("referral", "disposition").order_by("-id")
    serializer_class = s.LeadSerializer
    create_serializer_class = s.LeadCreateSerializer
    filterset_class = LeadFilter
    search_fields = []
    ordering_fields = []

    def perform_service(self, data):
        user = self.request.user
        finding = petition = None
        if data.get("finding"):
            finding = selectors.lead_source_findings(user).filter(pk=data["finding"]).first()
            if finding is None:
                raise DomainError("来源问题不存在或不可用", field="finding")
        if data.get("petition"):
            petition = selectors.lead_source_petitions(user).filter(pk=data["petition"]).first()
            if petition is None:
                raise DomainError("来源信访件不存在或不可用", field="petition")
        if not selectors.lead_source_rounds(user).filter(pk=data["round"].pk).exists():
            raise DomainError("您不能在该轮次登记线索", field="round")
        fields = {k: v for k, v in data.items() if k not in ("finding", "petition")}
        return services.lead_create(actor=user, finding=finding, petition=petition, **fields)

    @extend_schema(request=s.WithdrawSerializer, responses=s.LeadSerializer)
    @action(detail=True, methods=["post"])
    @access_action("withdraw")
    def withdraw(self, request, pk=None):
        lead = self.get_object()
        serializer = s.WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lead = services.lead_withdraw(lead=lead, actor=request.user, reason=serializer.validated_data["reason"])
        # The answer is the whole lead, its subject included: a read like retrieve.
        read_log_record(user=request.user, obj=lead, request=request)
        return Response(s.LeadSerializer(lead, context=self.get_serializer_context()).data)


class ReferralViewSet(LoggedReadMixin, CreateWithMixin, ScopedViewSetMixin, mixins.ListModelMixin,
                      mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = Referral.objects.all()
    serializer_class = s.ReferralSerializer
    create_serializer_class = s.ReferralCreateSerializer
    filterset_class = ReferralFilter
    search_fields = []
    ordering_fields = []

    def base_queryset(self):
        return selectors.referral_list_visible_to(self.request.user).order_by("-id")

    def get_queryset(self):
        return self.base_queryset()

    def perform_service(self, data):
        user = self.request.user
        leads = list(access.visible(user, Lead).filter(pk__in=data["leads"]))
        if len(leads) != len(set(data["leads"])):
            raise DomainError("所选线索不存在或不可见", field="leads")
        fields = {k: v for k, v in data.items() if k != "leads"}
        return services.batch_create(actor=user, leads=leads, **fields)

    def _answer(self, referral):
        referral = self.base_queryset().get(pk=referral.pk)
        return Response(s.ReferralSerializer(referral, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    @access_action("send")
    def send(self, request, pk=None):
        return self._answer(services.batch_send(referral=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    @access_action("sign")
    def sign(self, request, pk=None):
        return self._answer(services.batch_sign(referral=self.get_object(), actor=request.user))


class DispositionViewSet(LoggedReadMixin, CreateWithMixin, ScopedViewSetMixin, mixins.ListModelMixin,
                         mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = Disposition.objects.select_related("lead").order_by("-id")
    serializer_class = s.DispositionSerializer
    create_serializer_class = s.DispositionCreateSerializer
    filterset_fields = ["lead", "kind"]
    search_fields = []
    ordering_fields = []

    def perform_service(self, data):
        lead = _visible_lead(self.request.user, data["lead"])
        access.require(self.request.user, "dispose", lead)
        return services.lead_dispose(
            lead=lead, actor=self.request.user, kind=data["kind"], decided_on=data.get("decided_on"),
            note=data.get("note", ""),
        )


class ResultViewSet(LoggedReadMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = Result.objects.select_related("lead").order_by("-id")
    serializer_class = s.ResultSerializer
    filterset_fields = ["lead", "kind"]
    search_fields = []
    ordering_fields = []

    def get_serializer_class(self):
        return s.ResultCreateSerializer if self.action == "create" else s.ResultSerializer

    @extend_schema(request=s.ResultCreateSerializer, responses=s.ResultSerializer(many=True))
    def create(self, request, *args, **kwargs):
        serializer = s.ResultCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        lead = _visible_lead(request.user, data["lead"])
        access.require(request.user, "record_results", lead)
        rows = services.lead_record_results(lead=lead, actor=request.user, results=data["results"],
                                            reason=data.get("reason", ""))
        return Response(s.ResultSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)


class StatisticsViewSet(viewsets.ViewSet):
    """GET /api/referrals/statistics/?round=&plan= : the figures of the user's jurisdiction."""

    queryset = Lead.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("round", int, description="轮次编号"),
                    OpenApiParameter("plan", int, description="巡察规划编号")],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request):
        if not access.can(request.user, "statistics", Lead):
            raise PermissionDenied("您无权查看移交统计")
        round_id = request.query_params.get("round")
        plan_id = request.query_params.get("plan")
        for name, value in (("round", round_id), ("plan", plan_id)):
            if value and not value.isdigit():
                raise DomainError("请输入有效的编号", field=name)
        jurisdiction_id = request.user.jurisdiction_id
        if round_id and not Round.objects.filter(pk=round_id, jurisdiction_id=jurisdiction_id).exists():
            raise DomainError("轮次不存在", field="round")
        if plan_id and not Plan.objects.filter(pk=plan_id, jurisdiction_id=jurisdiction_id).exists():
            raise DomainError("巡察规划不存在", field="plan")
        figures = selectors.referral_figures(
            jurisdiction_id, round=int(round_id) if round_id else None, plan=int(plan_id) if plan_id else None
        )
        return Response(_jsonable(figures))


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


