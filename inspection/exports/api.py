"""Generated documents through the API: the same request, progress and download as the pages' document panel
(`exports/_panel.html`), for an integrator that wants the 巡察报告, 反馈意见, 整改台账 or the term statistics report
(巡察工作统计报告) of a plan without a browser. Requesting queues the render in Celery (202 with the file's row);
the client polls the row until `status` is `done`, then downloads."""

from django.conf import settings
from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from inspection.core import access
from inspection.core.api import ScopedViewSetMixin, access_action

from . import registry, services
from .models import GeneratedFile


class DocumentKindSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="文书类型代码，申请时填入 `kind`")
    title = serializers.CharField(help_text="文书名称")
    record = serializers.CharField(help_text="文书所依据的记录（`object_id` 为其 id）")


class GeneratedFileSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    download_url = serializers.SerializerMethodField(help_text="生成完成后下载文件的地址")

    class Meta:
        model = GeneratedFile
        fields = ["id", "kind", "title", "object_type", "object_id", "version", "status", "status_label", "progress",
                  "filename", "content_type", "size", "created_at", "finished_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        if obj.status != GeneratedFile.Status.DONE:
            return None
        return f"/api/documents/{obj.pk}/download/"


class DocumentRequestSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="文书类型代码（见 `GET /api/documents/kinds/`）")
    object_id = serializers.IntegerField(min_value=1, help_text="文书所依据记录的 id，例如统计报告为巡察规划的 id")

    def validate_kind(self, value):
        try:
            return registry.get(value)
        except LookupError as exc:
            codes = "、".join(kind.code for kind in registry.kinds())
            raise serializers.ValidationError(f"未知的文书类型“{value}”，可选：{codes}") from exc


RECORD_LABELS = {
    "rounds.TeamUnit": "巡察组的被巡察单位（`/api/teams/{id}/units/` 返回的 id）",
    "rectification.Feedback": "反馈（`/api/rectification/feedbacks/` 的 id）",
    "rounds.Plan": "巡察规划（`/api/plans/` 的 id）",
}


def _record_label(spec) -> str:
    return RECORD_LABELS.get(spec.model_label, str(spec.model._meta.verbose_name))


class DocumentViewSet(ScopedViewSetMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A file is as visible as the record it was generated from (`GeneratedFilePolicy`). The list names one record
    (`kind` and `object_id`, both required): every version of that document, newest first."""

    queryset = GeneratedFile.objects.select_related("created_by").order_by("-version")
    serializer_class = GeneratedFileSerializer
    ordering_fields = []
    pagination_class = None
    api_doc = ("生成的文书（巡察报告、反馈意见、整改台账、巡察工作统计报告等）：`POST` 申请生成（在后台排队，返回 202 和文件记录），"
               "`GET /api/documents/{id}/` 查看进度，`status` 为 `done` 后从 `download_url` 下载。列表须给出 `kind` 和 "
               "`object_id`，列出该记录该文书的全部版本，最新的在前。")

    def _record(self, spec, object_id):
        return access.get_visible_or_404(self.request.user, spec.model, pk=object_id)

    @extend_schema(
        parameters=[OpenApiParameter("kind", str, required=True, description="文书类型代码"),
                    OpenApiParameter("object_id", int, required=True, description="文书所依据记录的 id")],
        responses={200: GeneratedFileSerializer(many=True), 400: OpenApiResponse(description="缺少或无效的参数")},
    )
    def list(self, request, *args, **kwargs):
        errors = {}
        code, object_id = request.query_params.get("kind", ""), request.query_params.get("object_id", "")
        spec = None
        try:
            spec = registry.get(code)
        except LookupError:
            errors["kind"] = ["请填写有效的文书类型代码（见 /api/documents/kinds/）"]
        if not object_id.isdigit():
            errors["object_id"] = ["请填写文书所依据记录的 id"]
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        record = self._record(spec, int(object_id))
        rows = self.get_queryset().filter(
            kind=spec.code, object_type=record._meta.label_lower, object_id=str(record.pk)
        )
        return Response(GeneratedFileSerializer(rows, many=True).data)

    # Every role may ask; whether it may have this document of this record is the kind's own action on the record,
    # asked by the service (`registry.Kind.action`), as on the pages.
    @extend_schema(request=DocumentRequestSerializer, responses={202: GeneratedFileSerializer})
    @access_action("view")
    def create(self, request, *args, **kwargs):
        serializer = DocumentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        spec = serializer.validated_data["kind"]
        record = self._record(spec, serializer.validated_data["object_id"])
        generated = services.generated_file_request(kind=spec.code, record=record, user=request.user)
        return Response(GeneratedFileSerializer(generated).data, status=status.HTTP_202_ACCEPTED)

    create.api_doc = ("申请生成一份文书的新版本（与页面上的“生成”相同，需对该记录有相应权限）。文书在后台生成，"
                      "返回 202 和文件记录；以前的版本仍可下载，直至保存期满。")

    @extend_schema(responses={200: DocumentKindSerializer(many=True)})
    @action(detail=False, methods=["get"])
    @access_action("view")
    def kinds(self, request):
        return Response([
            {"kind": spec.code, "title": spec.title, "record": _record_label(spec)} for spec in registry.kinds()
        ])

    kinds.api_doc = "可申请的文书类型：代码、名称和所依据的记录。"

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(description="文件内容"),
                   400: OpenApiResponse(description="尚未生成完成或生成失败"),
                   410: OpenApiResponse(description="已过保存期限，文件已清除")},
    )
    @action(detail=True, methods=["get"])
    @access_action("view")
    def download(self, request, pk=None):
        if not str(pk).isdigit():
            raise Http404
        generated = self.get_object()
        if generated.status == GeneratedFile.Status.EXPIRED:
            days = settings.GENERATED_FILE_RETENTION_DAYS
            return Response({"detail": f"该文件已超过保存期限（{days}天）被清除，请重新生成"}, status=status.HTTP_410_GONE)
        if generated.status == GeneratedFile.Status.FAILED:
            return Response({"detail": "该文件生成失败，请重新申请生成"}, status=status.HTTP_400_BAD_REQUEST)
        if generated.status != GeneratedFile.Status.DONE:
            message = f"该文件尚未生成完成（{generated.get_status_display()}，{generated.progress}%），请稍后再试"
            return Response({"detail": message}, status=status.HTTP_400_BAD_REQUEST)
        response = FileResponse(
            generated.file.open("rb"),
            as_attachment=True,
            filename=generated.filename,
            content_type=generated.content_type or "application/octet-stream",
        )
        response.audit_object = generated  # audited as 下载, as the page's download
        return response

    download.api_doc = "下载已生成的文件（记入安全审计）。未完成返回 400，已过保存期限返回 410。"
