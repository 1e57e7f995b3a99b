"""REST endpoints for units, cadres and recusal factors: list/retrieve/create/update, never delete."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, status, viewsets
from rest_framework.response import Response

from inspection.audit.services import read_log_record
from inspection.core.api import ScopedViewSetMixin

from .. import selectors, services
from ..filters import CadreFilter, RecusalFactorFilter, UnitApiFilter
from ..models import Cadre, RecusalFactor, Unit
from . import serializers as s


class _WriteThroughServices(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Input is validated by the write serializer, the change is made by a service, the answer is the read shape.

    Search and filters only: the cursor pagination keeps its own stable ordering (`-id`).
    """

    filter_backends = [DjangoFilterBackend, filters.SearchFilter]
    read_serializer_class = None
    write_serializer_class = None

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class
        return self.read_serializer_class

    def _respond(self, obj, code):
        instance = self.base_queryset().get(pk=obj.pk)
        return Response(self.read_serializer_class(instance, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.perform_service_create(serializer.validated_data)
        return self._respond(obj, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        obj = self.perform_service_update(instance, serializer.validated_data)
        return self._respond(obj, status.HTTP_200_OK)

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


def _docs(read, write):
    return extend_schema_view(
        create=extend_schema(request=write, responses={201: read}),
        update=extend_schema(request=write, responses={200: read}),
        partial_update=extend_schema(request=write, responses={200: read}),
    )


@_docs(s.UnitReadSerializer, s.UnitWriteSerializer)
class UnitViewSet(_WriteThroughServices):
    queryset = Unit.objects.all()
    read_serializer_class = s.UnitReadSerializer
    write_serializer_class = s.UnitWriteSerializer
    filterset_class = UnitApiFilter
    search_fields = ["name", "party_org_name", "head_name"]

    def base_queryset(self):
        return Unit.objects.select_related("parent")

    def perform_service_create(self, data):
        return services.unit_create(actor=self.request.user, data=data)

    def perform_service_update(self, instance, data):
        return services.unit_update(unit=instance, actor=self.request.user, data=data)


@_docs(s.CadreReadSerializer, s.CadreWriteSerializer)
class CadreViewSet(_WriteThroughServices):
    queryset = Cadre.objects.all()
    read_serializer_class = s.CadreReadSerializer
    write_serializer_class = s.CadreWriteSerializer
    filterset_class = CadreFilter
    search_fields = ["name", "post", "employer__name", "employer_name"]

    def base_queryset(self):
        return selectors.cadre_list_queryset()

    def retrieve(self, request, *args, **kwargs):
        # The whole telephone and identity number are in this answer (the list masks them): a logged read.
        cadre = self.get_object()
        if cadre.phone or cadre.id_number:
            read_log_record(user=request.user, obj=cadre, request=request)
        return Response(self.get_serializer(cadre).data)

    def perform_service_create(self, data):
        return services.cadre_create(actor=self.request.user, data=data)

    def perform_service_update(self, instance, data):
        return services.cadre_update(cadre=instance, actor=self.request.user, data=data)


@_docs(s.RecusalFactorReadSerializer, s.RecusalFactorWriteSerializer)
class RecusalFactorViewSet(_WriteThroughServices):
    queryset = RecusalFactor.objects.all()
    read_serializer_class = s.RecusalFactorReadSerializer
    write_serializer_class = s.RecusalFactorWriteSerializer
    filterset_class = RecusalFactorFilter

    def base_queryset(self):
        return RecusalFactor.objects.select_related("cadre", "unit")

    def perform_service_create(self, data):
        return services.recusal_factor_add(cadre=data["cadre"], unit=data["unit"], actor=self.request.user, data=data)

    def perform_service_update(self, instance, data):
        return services.recusal_factor_update(factor=instance, actor=self.request.user, data=data)
