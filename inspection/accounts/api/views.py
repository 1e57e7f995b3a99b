"""Endpoints of the foundation: the user's own notices (read one or all), and the read-only reference data an
integrator's records name — jurisdictions, receiving bodies and (for the system administrator) accounts. Changes to
the reference data go through the admin and the account management pages, where they are approved and audited."""

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import filters, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from inspection.core.api import ScopedViewSetMixin

from .. import services
from ..models import Jurisdiction, Notification, ReceivingBody, User
from . import serializers as s


class JurisdictionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    api_doc = "本人所在管辖范围及其下级（市含所辖县）；系统管理员可见全部。只读：管辖范围及其期限设置在后台维护。"
    queryset = Jurisdiction.objects.order_by("id")
    serializer_class = s.JurisdictionSerializer
    filter_backends = [DjangoFilterBackend, filters.SearchFilter]
    filterset_fields = ["level", "parent"]
    search_fields = ["name", "office_name"]


class ReceivingBodyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    api_doc = "本人所在管辖范围及其下级的移交接收单位（纪委监委、组织部、其他职能部门），移交线索时引用其 id。只读。"
    queryset = ReceivingBody.objects.order_by("jurisdiction_id", "id")
    serializer_class = s.ReceivingBodySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["jurisdiction", "kind", "is_active"]


class UserViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    api_doc = "仅系统管理员：全部账号的 id、姓名、角色与所属单位，供对接系统引用。不含电话与任何凭据；账号的新增、停用与授权在“账号管理”页面办理。"
    queryset = User.objects.order_by("id")
    serializer_class = s.UserSerializer
    filter_backends = [DjangoFilterBackend, filters.SearchFilter]
    filterset_fields = ["role", "jurisdiction", "unit", "receiving_body", "is_active"]
    search_fields = ["username", "display_name"]



class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The user's own notices, newest first; `?unread=true` for the unread only. Another user's notice is not
    there (404)."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.all()
    ordering_fields = []
    api_doc = "只列出当前用户自己的站内通知，最新的在前；`unread=true` 只列未读。"

    def get_queryset(self):
        queryset = Notification.objects.filter(user=self.request.user).order_by("-created_at", "-id")
        if self.request.query_params.get("unread") in ("true", "1"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="只列未读通知")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        if not str(pk).isdigit():
            raise Http404
        try:
            notice = services.notification_mark_one_read(user=request.user, pk=int(pk))
        except Notification.DoesNotExist as exc:
            raise Http404 from exc
        return Response(NotificationSerializer(notice).data)

    read.api_doc = "把自己的一条通知标为已读（已读的不变）。"

    @extend_schema(request=None, responses={200: MarkedSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notifications_mark_read(user=request.user)})

    read_all.api_doc = "把自己的全部未读通知标为已读，返回标记的条数。"
