"""REST API of rectification: thin ViewSets over the services. No DELETE anywhere."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from findings.models import Finding
from inspection.accounts.models import Role
from inspection.accounts.roles import OVERSIGHT, RECEIVERS
from inspection.core import access
from inspection.core.api import ScopedViewSetMixin, access_action
from inspection.core.batch_api import BatchResultSerializer, batch_data
from inspection.core.exceptions import DomainError
from rounds.models import Plan, Round

from .. import selectors, services
from ..models import (
    Disclosure,
    Evaluation,
    Feedback,
    LookbackCheck,
    Progress,
    RectificationPlan,
    RectificationReport,
    Task,
)
from . import serializers as s


def _visible_or_404(user, model, pk):
    return access.get_visible_or_404(user, model._default_manager.all(), pk=pk)


class FeedbackViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.FeedbackSerializer
    filterset_fields = ["round", "unit"]

    def base_queryset(self):
        return selectors.feedback_list_visible_to(self.request.user)

    def get_queryset(self):
        return self.base_queryset()  # the selector already scopes through access

    queryset = Feedback.objects.all()

    @extend_schema(request=s.FeedbackCreateSerializer, responses=s.FeedbackSerializer)
    def create(self, request, *args, **kwargs):
        data = s.FeedbackCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        feedback = services.feedback_record(actor=request.user, **data.validated_data)
        feedback = self.get_queryset().get(pk=feedback.pk)
        return Response(s.FeedbackSerializer(feedback, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.FeedbackCandidateSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    @access_action("add")
    def candidates(self, request):
        """The units the office may feed back now (eligible) and those of rounds in feedback still waiting for
        findings to be decided (with the reason): what the feedback form offers."""
        eligible, waiting = selectors.feedback_choices(request.user.jurisdiction_id)
        return Response(s.FeedbackCandidateSerializer([*eligible, *waiting], many=True).data)

    @extend_schema(responses=s.AwaitingFindingSerializer(many=True))
    @action(detail=True, methods=["get"])
    @access_action("add_problem")
    def awaiting(self, request, pk=None):
        """反馈后新增的问题 of this feedback: approved after it, on no problem list yet."""
        findings = selectors.findings_awaiting_problem_list(feedback=self.get_object())
        return Response(s.AwaitingFindingSerializer(findings, many=True).data)

    @extend_schema(responses=s.ProblemFactsSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    @access_action("view")
    def problems(self, request, pk=None):
        feedback = self.get_object()
        rows = selectors.problem_list(feedback)
        context = {"tasks_by_finding": {row["finding"].pk: row["tasks"] for row in rows}}
        return Response(s.ProblemFactsSerializer([row["item"] for row in rows], many=True, context=context).data)

    problems.api_doc = (
        "本次反馈的问题清单：每个问题的标题、分类、问题事实和定性依据（反馈给单位的内容），以及已制定的整改任务编号。"
        "被巡察单位联络员据此制定整改措施；问题的证据材料、涉及人员和底稿不在其中。"
    )

    @extend_schema(request=s.ProblemItemAddSerializer, responses=s.ProblemItemSerializer)
    @action(detail=True, methods=["post"], url_path="add-problem")
    @access_action("add_problem")
    def add_problem(self, request, pk=None):
        feedback = self.get_object()
        data = s.ProblemItemAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        # Looked up within the feedback's round and unit only: another unit's finding is not named back.
        finding = Finding.objects.filter(
            pk=fields.pop("finding"), round_id=feedback.round_id, unit_id=feedback.unit_id
        ).first()
        if finding is None:
            raise DomainError(f"该问题不是{feedback.unit.name}在{feedback.round.title}的问题", field="finding")
        item = services.problem_item_add(feedback=feedback, finding=finding, actor=request.user, **fields)
        return Response(s.ProblemItemSerializer(item).data, status=status.HTTP_201_CREATED)


class PlanViewSet(ScopedViewSetMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PlanSerializer
    queryset = RectificationPlan.objects.select_related("feedback__unit")
    filterset_fields = ["status", "feedback"]

    def perform_update(self, serializer):
        serializer.instance = services.plan_update(
            plan=serializer.instance,
            actor=self.request.user,
            content=serializer.validated_data.get("content", serializer.instance.content),
        )

    def _move(self, request, verb):
        reason = s.ReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        plan = services.plan_transition(plan=self.get_object(), actor=request.user, verb=verb, reason=reason.validated_data["reason"])
        return Response(s.PlanSerializer(plan, context={"request": request}).data)

    @extend_schema(request=s.PlanTasksSerializer, responses=s.TaskSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="tasks", filter_backends=[], pagination_class=None)
    @access_action("add_task")
    def tasks(self, request, pk=None):
        data = s.PlanTasksSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = [
            services.TaskRow(number=number, finding_id=row.pop("finding"), task_id=row.pop("task"), **row)
            for number, row in enumerate(data.validated_data["rows"], start=1)
        ]
        try:
            saved = services.plan_tasks_save(plan=self.get_object(), actor=request.user, rows=rows)
        except services.TaskRowsRefused as refused:
            return Response({"rows": [f"第 {n} 行：{message}" for n, message in refused.errors]},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response(s.TaskSerializer(saved, many=True, context={"request": request}).data)

    tasks.api_doc = (
        "一次保存整改方案的全部整改任务（与页面“在表格中编制全部任务”和电子表格上传同一规则）：带 `task` 的行修改该任务，"
        "不带的行为其问题新增任务。每一行都校验，未通过的行以“第 N 行：原因”列出（`rows`，行号从 1 起）；"
        "有一行未通过则都不保存。"
    )

    @extend_schema(request=s.ReasonSerializer, responses=s.PlanSerializer)
    @action(detail=True, methods=["post"])
    @access_action("transition")
    def submit(self, request, pk=None):
        return self._move(request, "submit")

    @extend_schema(request=s.ReasonSerializer, responses=s.PlanSerializer)
    @action(detail=True, methods=["post"])
    @access_action("transition")
    def accept(self, request, pk=None):
        return self._move(request, "accept")

    @extend_schema(request=s.ReasonSerializer, responses=s.PlanSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    @access_action("transition")
    def return_(self, request, pk=None):
        return self._move(request, "return")


TASK_ROW_FIELDS = (
    "id", "plan_id", "finding_id", "jurisdiction_id", "measures", "responsible_leader", "responsible_department",
    "deadline", "kind", "status", "submitted_at", "closed_at", "return_reason", "verification_opinion",
    "finding__id", "finding__title", "plan__id", "plan__feedback__id", "plan__feedback__unit_id",
    "plan__feedback__round_id", "plan__feedback__jurisdiction_id", "plan__feedback__unit__id",
    "plan__feedback__unit__name",
)


class TaskViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.TaskSerializer
    queryset = Task.objects.select_related("finding", "plan__feedback__unit")
    filterset_fields = ["status", "kind", "plan", "plan__feedback__round", "plan__feedback__unit"]

    def base_queryset(self):
        # A task row shows its finding's title: the finding's long texts stay in the table (the detail has them).
        if self.action == "retrieve":
            return self.queryset
        return self.queryset.only(*TASK_ROW_FIELDS)

    def get_serializer_class(self):
        return s.TaskDetailSerializer if self.action == "retrieve" else s.TaskSerializer

    @extend_schema(request=s.TaskCreateSerializer, responses=s.TaskSerializer)
    def create(self, request, *args, **kwargs):
        data = s.TaskCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        plan = _visible_or_404(request.user, RectificationPlan, fields.pop("plan").pk)
        access.require(request.user, "add_task", plan)
        task = services.task_create(plan=plan, actor=request.user, **fields)
        return Response(s.TaskSerializer(task, context={"request": request}).data, status=status.HTTP_201_CREATED)

    def _move(self, request, verb):
        reason = s.ReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        task = services.task_transition(task=self.get_object(), actor=request.user, verb=verb, reason=reason.validated_data["reason"])
        return Response(s.TaskSerializer(task, context={"request": request}).data)

    @extend_schema(request=s.ReasonSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    @access_action("transition")
    def start(self, request, pk=None):
        return self._move(request, "start")

    @extend_schema(request=s.ReasonSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    @access_action("transition")
    def submit(self, request, pk=None):
        return self._move(request, "submit")

    @extend_schema(request=s.TaskCloseSerializer, responses=s.TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    @access_action("transition")
    def close(self, request, pk=None):
        data = s.TaskCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        opinion = data.validated_data["verification_opinion"] or data.validated_data["reason"]
        task = services.task_close(task=self.get_object(), actor=request.user, opinion=opinion)
        return Response(s.TaskDetailSerializer(task, context={"request": request}).data)

    close.api_doc = "核验销号：须填写核验意见（`verification_opinion`，核验的方式和结论），记入任务和销号记录。"

    @extend_schema(request=s.TaskBatchCloseSerializer, responses=BatchResultSerializer)
    @action(detail=False, methods=["post"], url_path="batch-close", filter_backends=[], pagination_class=None)
    @access_action("transition")
    def batch_close(self, request):
        data = s.TaskBatchCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.tasks_batch_close(
            actor=request.user, ids=data.validated_data["ids"], opinion=data.validated_data["verification_opinion"]
        )
        return Response(batch_data(result))

    batch_close.api_doc = (
        "巡察办（或负责核验的巡察组）批量核验销号：核验意见必填，记入每一项的销号记录；每项各自走“核验销号”，"
        "不能销号的任务逐条列出原因（如尚未申请销号、已由他人销号），其余照常销号。"
    )

    @extend_schema(request=s.ReasonSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    @access_action("transition")
    def return_(self, request, pk=None):
        return self._move(request, "return")

    @extend_schema(request=s.TaskReopenSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    @access_action("transition")
    def reopen(self, request, pk=None):
        data = s.TaskReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = services.task_reopen(task=self.get_object(), actor=request.user, **data.validated_data)
        return Response(s.TaskSerializer(task, context={"request": request}).data)


REPORT_FILTERS = ["status", "is_late", "feedback", "feedback__round", "feedback__unit"]


class ReportViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """整改情况报告: the unit writes and submits it (once the plan is accepted); the office or the leading group
    accepts it or returns it with a reason. The figures are counted by the system. No DELETE."""

    serializer_class = s.ReportSerializer
    queryset = RectificationReport.objects.select_related("feedback__unit", "feedback__round__plan").prefetch_related(
        "attachments"
    )
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = REPORT_FILTERS

    def _files(self, request, data):
        return request.FILES.getlist("files") if request.FILES else data.get("files", [])

    @extend_schema(request=s.ReportCreateSerializer, responses={201: s.ReportSerializer})
    def create(self, request, *args, **kwargs):
        data = s.ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        feedback = _visible_or_404(request.user, Feedback, fields["feedback"].pk)
        report = services.report_create(
            feedback=feedback, actor=request.user, content=fields["content"],
            other_results=fields["other_results"], files=self._files(request, fields),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReportWriteSerializer, responses=s.ReportSerializer)
    def update(self, request, *args, **kwargs):
        report = self.get_object()
        partial = kwargs.get("partial", False)
        data = s.ReportWriteSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        report = services.report_update(
            report=report, actor=request.user, content=fields.get("content", report.content),
            other_results=fields.get("other_results", report.other_results), files=self._files(request, fields),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(request=s.ReportWriteSerializer, responses=s.ReportSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _move(self, request, verb):
        reason = s.ReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        report = services.report_transition(
            report=self.get_object(), actor=request.user, verb=verb, reason=reason.validated_data["reason"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(request=s.ReasonSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    @access_action("transition")
    def submit(self, request, pk=None):
        return self._move(request, "submit")

    @extend_schema(request=s.ReasonSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    @access_action("transition")
    def accept(self, request, pk=None):
        return self._move(request, "accept")

    @extend_schema(request=s.ReasonSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    @access_action("transition")
    def return_(self, request, pk=None):
        return self._move(request, "return")


class DisclosureViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """整改公开, as on the pages: the office of the jurisdiction writes the summary, publishes and withdraws it;
    the leading group, discipline, organization and the unit read it. No DELETE."""

    serializer_class = s.DisclosureSerializer
    queryset = Disclosure.objects.select_related("feedback__unit")
    filterset_fields = ["feedback", "feedback__round", "feedback__unit"]

    @extend_schema(request=s.DisclosureCreateSerializer, responses={201: s.DisclosureSerializer})
    def create(self, request, *args, **kwargs):
        data = s.DisclosureCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        feedback = _visible_or_404(request.user, Feedback, fields["feedback"].pk)
        if Disclosure.objects.filter(feedback=feedback).exists():
            raise DomainError("该反馈的整改公开摘要已存在，请修改原摘要", field="feedback")
        disclosure = services.disclosure_save(
            feedback=feedback, actor=request.user, title=fields["title"], summary=fields["summary"]
        )
        return Response(self.get_serializer(disclosure).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        disclosure = serializer.instance
        serializer.instance = services.disclosure_save(
            feedback=disclosure.feedback,
            actor=self.request.user,
            title=serializer.validated_data.get("title", disclosure.title),
            summary=serializer.validated_data.get("summary", disclosure.summary),
        )

    def _publish(self, request, publish):
        disclosure = services.disclosure_publish(disclosure=self.get_object(), actor=request.user, publish=publish)
        return Response(self.get_serializer(disclosure).data)

    @extend_schema(request=None, responses=s.DisclosureSerializer)
    @action(detail=True, methods=["post"])
    @access_action("publish")
    def publish(self, request, pk=None):
        return self._publish(request, True)

    @extend_schema(request=None, responses=s.DisclosureSerializer)
    @action(detail=True, methods=["post"])
    @access_action("publish")
    def unpublish(self, request, pk=None):
        return self._publish(request, False)


class ProgressViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ProgressSerializer
    queryset = Progress.objects.prefetch_related("evidence")
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["task"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        task = _visible_or_404(request.user, Task, fields.pop("task").pk)
        access.require(request.user, "report_progress", task)
        fields["files"] = request.FILES.getlist("files")
        progress = services.progress_report(task=task, actor=request.user, **fields)
        return Response(self.get_serializer(progress).data, status=status.HTTP_201_CREATED)


class EvaluationViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.EvaluationSerializer
    queryset = Evaluation.objects.all()

    def _save(self, serializer, feedback, **seen):
        data = dict(serializer.validated_data)
        data.pop("feedback", None)
        merged = {name: data.get(name, getattr(serializer.instance, name, None))
                  for name in ("self_score", "public_score", "supervision_score", "onsite_score")}
        return services.evaluation_save(
            feedback=feedback, actor=self.request.user, notes=data.get("notes", ""), **seen, **merged
        )

    def perform_create(self, serializer):
        feedback = _visible_or_404(self.request.user, Feedback, serializer.validated_data["feedback"].pk)
        # A create means "there is none yet": if another one was saved since the validator looked, it is a 400.
        serializer.instance = self._save(serializer, feedback, seen_evaluated_at=None)

    def perform_update(self, serializer):
        serializer.instance = self._save(serializer, serializer.instance.feedback)


class LookbackCheckViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.LookbackCheckSerializer
    queryset = LookbackCheck.objects.select_related("reopening")
    filterset_fields = ["lookback_round", "task"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        task = _visible_or_404(self.request.user, Task, data["task"].pk)
        lookback_round = selectors.lookback_rounds_visible_to(self.request.user).filter(pk=data["lookback_round"].pk).first()
        if lookback_round is None:
            raise PermissionDenied("您无权核查该“回头看”轮次")
        serializer.instance = services.lookback_check_record(
            lookback_round=lookback_round, task=task, actor=self.request.user, is_fixed=data["is_fixed"],
            notes=data["notes"], new_deadline=data.get("new_deadline"),
        )


class FiguresViewSet(viewsets.ViewSet):
    """The rectification figures: ?round=<id>&plan=<term plan id> for the jurisdiction; a liaison gets its own unit."""

    api_resource = "整改统计"
    api_single_object = True  # `list` answers one set of figures, not a list
    api_doc = "本管辖范围的整改数字（问题数、已整改、任务完成率、追缴金额等），可按 `round`（轮次）或 `plan`（规划）限定；联络员只得到本单位的数字。"

    @extend_schema(responses={200: s.RectificationFiguresSerializer})
    def list(self, request):
        user = request.user
        if not access.can(user, "view", Feedback) or not user.jurisdiction_id:
            raise PermissionDenied("您无权查看整改数据")
        if user.role not in OVERSIGHT | RECEIVERS | {Role.UNIT_LIAISON}:
            raise PermissionDenied("您无权查看整改数据")
        filters = {}
        for name, model in (("round", Round), ("plan", Plan)):
            value = request.query_params.get(name)
            if value:
                if not value.isdigit():
                    return Response({name: ["请输入有效的编号"]}, status=status.HTTP_400_BAD_REQUEST)
                found = model.objects.filter(pk=value, jurisdiction_id=user.jurisdiction_id).first()
                if found is None:
                    return Response({name: ["未找到该记录"]}, status=status.HTTP_400_BAD_REQUEST)
                filters[name] = found
        if user.role == Role.UNIT_LIAISON:
            if not access.visible(user, Feedback).exists():
                return Response({"detail": "本单位尚未反馈"}, status=status.HTTP_404_NOT_FOUND)
            filters["unit"] = user.unit
        figures = selectors.rectification_figures(user.jurisdiction, **filters)
        return Response(s.RectificationFiguresSerializer(figures).data)
