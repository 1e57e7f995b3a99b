from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from inspection.core.db_router import on_replica
from inspection.units.models import UnitKind

from .. import cards, rollup_views, selectors, todo
from ..access import may_see_lead_figures, require_figures
from ..forms import FigureFilterForm, RollupFilterForm
from ..rollup import SORT_KEYS
from . import serializers as s


class FiguresView(APIView):
    """The reported figures of the user's jurisdiction; query parameters plan, round, year, unit_kind as on
    the dashboard page. Lead figures are present only for roles allowed to see lead statistics."""

    api_resource = "统计数字"
    api_summary = "查看本管辖范围的统计数字"
    api_doc = ("与首页、统计页相同的数字：问题数、整改完成率、移交线索及办理结果等。查询参数 `plan`、`round`、`year`、"
               "`unit_kind` 与统计页筛选相同；线索类数字仅对有权查看线索统计的角色返回。")

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("plan", int, description="巡察规划"),
            OpenApiParameter("round", int, description="轮次"),
            OpenApiParameter("year", int, description="年度（按进驻开始日期）"),
            OpenApiParameter("unit_kind", str, description="单位类别", enum=UnitKind.values),
            OpenApiParameter("lookback_as_of", OpenApiTypes.DATE,
                             description="回头看覆盖截至日期（YYYY-MM-DD）：按截至该日已反馈的单位计算覆盖率，不填为截至今日"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        require_figures(request.user)
        form = FigureFilterForm(request.query_params or None, user=request.user)
        if form.is_bound and not form.is_valid():
            return Response({k: [str(m) for m in v] for k, v in form.errors.items()}, status=400)
        with on_replica():
            figs = selectors.figures(form.scope(), include_leads=may_see_lead_figures(request.user))
        return Response(cards.figures_json(figs))


class RollupView(APIView):
    """The roll-up of the offices below the user's own (a city: its counties; a province: its cities, each
    with its counties), added up from the per-office counters refreshed hourly (`computed_at`): totals and one
    row per direct subordinate office, plus the office's own rounds. Query parameters: `jurisdiction` (the
    user's own office or one below it; another answers 403), `year` (by round start year). Lead figures are
    present only for roles allowed to see lead statistics."""

    api_resource = "下级汇总"
    api_summary = "查看下级巡察机构的汇总数字"
    api_doc = ("市级查看所辖县（市、区）、省级查看所辖市（州）的汇总数字，每个直属下级一行；数字来自每小时更新的计数，"
               "`computed_at` 给出计算时间。")


    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("jurisdiction", int, description="巡察机构（本机构或其下级，默认本机构）"),
            OpenApiParameter("year", int, description="年度（按进驻开始日期）"),
            OpenApiParameter("sort", str, description="行的排序（字段名，前加“-”为降序）",
                             enum=sorted(f"{p}{k}" for k in SORT_KEYS for p in ("", "-"))),
        ],
        responses={200: s.RollupSerializer, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT,
                   404: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        rollup_views.require_rollup(request.user)
        form = RollupFilterForm(request.query_params or None)
        if form.is_bound and not form.is_valid():
            return Response({k: [str(m) for m in v] for k, v in form.errors.items()}, status=400)
        result = rollup_views.build(request.user, form)
        return Response(s.RollupSerializer(rollup_views.api_payload(request.user, result)).data)


class TodoView(APIView):
    """What waits for the user (dashboard.todo): per kind a count and the oldest items, as on the home page."""

    api_resource = "待办"
    api_summary = "查看我的待办"
    api_doc = ("与首页、待办页相同：按事项类别列出等待当前用户处理的事项，每类给出数量（超过 999 记为 `999+`）和最早的若干条"
               "（`limit`，默认 5，最多 20），最早的在前；每条带记录链接 `url`。只列出当前用户此刻有权处理的事项。")

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("limit", int, description="每类最多列出的条数（1–20，默认 5）")],
        responses={200: s.TodoSerializer, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        raw = request.query_params.get("limit", "")
        if raw and (not raw.isdigit() or not 1 <= int(raw) <= todo.PAGE_LIMIT):
            return Response({"limit": [f"请填写 1 到 {todo.PAGE_LIMIT} 之间的整数"]}, status=400)
        groups = todo.todo_for(request.user, limit=int(raw) if raw else todo.DEFAULT_LIMIT)
        return Response(s.TodoSerializer({"total": sum(group.count for group in groups), "groups": groups}).data)
