from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from inspection.units.models import UnitKind

from .. import cards, selectors
from ..access import may_see_lead_figures, require_figures
from ..forms import FigureFilterForm


class FiguresView(APIView):
    """The reported figures of the user's jurisdiction; query parameters plan, round, year, unit_kind as on
    the dashboard page. Lead figures are present only for roles allowed to see lead statistics."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("plan", int, description="巡察规划"),
            OpenApiParameter("round", int, description="轮次"),
            OpenApiParameter("year", int, description="年度（按进驻开始日期）"),
            OpenApiParameter("unit_kind", str, description="单位类别", enum=UnitKind.values),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        require_figures(request.user)
        form = FigureFilterForm(request.query_params or None, user=request.user)
        if form.is_bound and not form.is_valid():
            return Response({k: [str(m) for m in v] for k, v in form.errors.items()}, status=400)
        figs = selectors.figures(form.scope(), include_leads=may_see_lead_figures(request.user))
        return Response(cards.figures_json(figs))
