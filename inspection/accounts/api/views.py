"""Read-only endpoints of the foundation's reference data: jurisdictions, receiving bodies, and (for the system
administrator) accounts — the ids an integrator's records name. Changes go through the admin and the account
management pages, where they are approved and audited."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, viewsets

from inspection.core.api import ScopedViewSetMixin

from ..models import Jurisdiction, ReceivingBody, User
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
