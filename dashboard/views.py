from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from inspection.accounts.roles import ALL
from inspection.core import access
from inspection.core.db_router import on_replica
from inspection.core.excel import export_response
from rectification.models import Feedback
from rounds.models import Plan, Round, TeamUnit

from . import cards, deadlines, ledgers, rollup, rollup_views, search, selectors, todo
from .access import may_see_figures, may_see_lead_figures, require_figures
from .forms import FigureFilterForm, RollupFilterForm, is_higher_office
from .panels import panels_for


def _figures_context(request):
    form = FigureFilterForm(request.GET or None, user=request.user)
    scope = form.scope()
    with on_replica():  # the heaviest read of the system, a second's lag is harmless (db_router)
        figs = selectors.figures(scope, include_leads=may_see_lead_figures(request.user))
    return {
        "filter_form": form,
        "scope": scope,
        "figures": figs,
        "cards": cards.figure_cards(figs),
        "show_lead_charts": figs.leads is not None,
        "query": request.GET.urlencode(),
    }


@login_required
def home(request):
    """Each role lands on its own home page: the entries it may use and its unread notifications.
    The office and the leading group also see the figures of their jurisdiction; a city or province office,
    whose own rounds are few, sees the roll-up of the offices below it."""
    context = {
        "recent_notifications": request.user.notifications.filter(read_at__isnull=True)[:10],
        "todo_groups": todo.todo_for(request.user),
    }
    if is_higher_office(request.user) and rollup_views.may_see_rollup(request.user):
        form = RollupFilterForm(request.GET or None)
        sort = form.cleaned_data.get("sort", "") if form.is_bound and form.is_valid() else ""
        context.update(rollup_views.context(request.user, form, rollup_views.build(request.user, form), sort=sort))
    elif may_see_figures(request.user):
        context.update(_figures_context(request))
    return render(request, "dashboard/home.html", context)


@login_required
def todo_page(request):
    """待办: everything waiting for the user, per kind the oldest items first and the count."""
    return render(request, "dashboard/todo.html", {"todo_groups": todo.todo_for(request.user, limit=todo.PAGE_LIMIT)})


@login_required
def todo_badge(request):
    """The navigation's count, loaded by htmx after the page so that no page pays for it in its own queries."""
    count = todo.todo_count(request.user)
    if not count:
        return HttpResponse('<span id="todo-count"></span>')
    text = f"{todo.COUNT_CAP - 1}+" if count >= todo.COUNT_CAP else str(count)
    return HttpResponse(format_html('<span class="badge text-bg-warning" id="todo-count">{}</span>', text))


@login_required
def rollup_page(request):
    """The figures of every office below the user's (or below `?jurisdiction=`, one of them), added up from
    the counters the hourly job keeps; a row per direct subordinate office."""
    rollup_views.require_rollup(request.user)
    form = RollupFilterForm(request.GET or None)
    result = rollup_views.build(request.user, form)
    sort = form.cleaned_data.get("sort", "") if form.is_bound and form.is_valid() else ""
    return render(request, "dashboard/rollup.html",
                  rollup_views.context(request.user, form, result, sort=sort))


@login_required
@require_POST
def rollup_refresh(request):
    """"立即刷新": queue the recount of the office's own counters and those of every office below it."""
    if not rollup_views.may_refresh(request.user):
        raise PermissionDenied("您无权刷新汇总统计")
    from .tasks import refresh_rollup

    tree = rollup.Tree.load()
    ids = sorted(tree.subtree(request.user.jurisdiction_id)) if request.user.jurisdiction_id else None
    refresh_rollup.delay(ids)
    return HttpResponse(format_html(
        '<span class="text-success small" id="rollup-refresh-status">{}</span>',
        "已提交刷新：统计在后台进行，稍后刷新本页即可看到新数字。",
    ))


@login_required
def figures(request):
    require_figures(request.user)
    return render(request, "dashboard/figures.html", _figures_context(request))


@login_required
def chart(request, name):
    require_figures(request.user)
    build = cards.CHARTS.get(name)
    if build is None or (name in cards.SECRET_CHARTS and not may_see_lead_figures(request.user)):
        raise Http404
    scope = FigureFilterForm(request.GET or None, user=request.user).scope()
    with on_replica():
        option = build(scope)
    return JsonResponse(option, json_dumps_params={"ensure_ascii": False})


@login_required
def documents(request):
    """The units of a round with their report, feedback letter and ledger panels, and the plans' statistics."""
    require_figures(request.user)
    rounds = access.visible(request.user, Round).select_related("plan").order_by("-start_date", "-id")
    round_ = None
    if request.GET.get("round"):
        if not request.GET["round"].isdigit():
            # A hand-edited address: say so in Chinese instead of failing on the lookup.
            return HttpResponseBadRequest("轮次参数无效：应为轮次编号（数字）", content_type="text/plain; charset=utf-8")
        round_ = access.get_visible_or_404(request.user, rounds, pk=int(request.GET["round"]))
    elif rounds:
        round_ = rounds[0]
    rows = []
    if round_ is not None:
        team_units = list(
            access.visible(request.user, TeamUnit).filter(round=round_).select_related("team", "unit")
            .order_by("team_id", "id")
        )
        feedbacks = {
            f.unit_id: f for f in access.visible(request.user, Feedback).filter(round=round_)
        }
        rows = [{"team_unit": tu, "feedback": feedbacks.get(tu.unit_id)} for tu in team_units]
    plans = list(access.visible(request.user, Plan).order_by("-start_year", "-id"))
    panels = panels_for(
        [pair for row in rows for pair in (
            ("dashboard.inspection_report", row["team_unit"]),
            ("dashboard.feedback_letter", row["feedback"]),
            ("dashboard.rectification_ledger", row["feedback"]),
        )]
        + [("dashboard.term_statistics", plan) for plan in plans]
    )
    for row in rows:
        row["report"] = panels[("dashboard.inspection_report", row["team_unit"].pk)]
        if row["feedback"] is not None:
            row["letter"] = panels[("dashboard.feedback_letter", row["feedback"].pk)]
            row["ledger"] = panels[("dashboard.rectification_ledger", row["feedback"].pk)]
    return render(
        request,
        "dashboard/documents.html",
        {
            "rounds": rounds,
            "current_round": round_,
            "rows": rows,
            "plans": [{"plan": plan, "panel": panels[("dashboard.term_statistics", plan.pk)]} for plan in plans],
        },
    )


@login_required
def ledger_index(request):
    """The ledgers the user may export, each with the filters of its list page."""
    require_figures(request.user)
    entries = []
    for ledger in ledgers.LEDGERS.values():
        if not access.can(request.user, ledger.action, ledger.model):
            continue
        filterset_class = ledger.filterset_class()
        fields = []
        if filterset_class is not None:
            form = filterset_class(None, queryset=ledger.model.objects.none(), request=request).form
            form.auto_id = f"{ledger.kind}-%s"  # several forms on one page: ids must not collide
            fields = list(form)
        # The dashboard's scope filters the list page lacks (e.g. plan, year, unit kind).
        scope_form = FigureFilterForm(None, user=request.user, auto_id=f"{ledger.kind}-scope-%s")
        known = {field.name for field in fields}
        entries.append({"ledger": ledger, "fields": fields + [f for f in scope_form if f.name not in known]})
    return render(request, "dashboard/ledgers.html", {"entries": entries})


@login_required
def ledger_export(request, kind):
    ledger = ledgers.LEDGERS.get(kind)
    if ledger is None:
        raise Http404
    if not access.can(request.user, ledger.action, ledger.model):
        if access.policy_for(ledger.model).secret:
            raise Http404
        raise PermissionDenied("您无权导出此台账")
    # The whole workbook is written inside the block (export_response consumes the rows before it returns); the
    # read log of secret rows is written to the primary as they are read.
    with on_replica():
        try:
            queryset = ledgers.ledger_queryset(ledger, request.user, request, request.GET)
        except ledgers.LedgerFilterError as exc:
            return HttpResponseBadRequest("筛选条件有误：" + "；".join(f"{k}：{'、'.join(map(str, v))}" for k, v in exc.errors.items()))
        rows = ledgers.ledger_rows(ledger, queryset, user=request.user, request=request)
        stamp = timezone.localdate().strftime("%Y%m%d")
        return export_response(filename=f"{ledger.title}-{stamp}.xlsx", title=ledger.title, headers=ledger.headers,
                               rows=rows)


def _require_business_role(user) -> None:
    """Search and the calendar read business records: the three administrators (三员分立) have none."""
    if not (user.is_superuser or user.role in ALL):
        raise PermissionDenied("您的角色不查阅业务记录")


@login_required
def search_page(request):
    """Units, rounds, findings, leads and tasks matching `q`, each kind within the user's scope."""
    _require_business_role(request.user)
    text = request.GET.get("q", "").strip()
    groups = search.search(request.user, text, request=request)
    return render(request, "dashboard/search.html", {
        "q": text, "groups": groups, "total": sum(len(g.hits) for g in groups),
        "too_long": len(text) > search.MAX_LENGTH,
    })


@login_required
def calendar_page(request):
    """What falls due this week or this month for the user: plans, reports, tasks, dispositions."""
    _require_business_role(request.user)
    which = request.GET.get("range", "week")
    return render(request, "dashboard/calendar.html", {
        "calendar": deadlines.deadlines(request.user, which, request=request), "ranges": deadlines.RANGES,
    })
