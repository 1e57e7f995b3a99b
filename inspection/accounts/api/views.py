from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import services
from ..models import Notification


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
