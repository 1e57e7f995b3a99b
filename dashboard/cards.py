"""What the page, the home page and the API show of the figures: cards with links, and ECharts options."""

from decimal import Decimal

from inspection.core.money import yuan
from referrals.models import DispositionKind, ResultKind

from . import selectors
from .links import list_url
from .selectors import Figures, FigureScope


def _yuan(value: Decimal) -> str:
    return yuan(value)


def _card(key, label, value, unit="", note="", url=None, icon=""):
    return {"key": key, "label": label, "value": value, "unit": unit, "note": note, "url": url, "icon": icon}


def _plan_url(plan):
    return list_url("rounds:plan_detail", {}, args=[plan.pk]) if plan is not None else None


def _rounds_url(scope):
    if scope.round is not None:
        return list_url("rounds:round_detail", {}, args=[scope.round.pk])
    return list_url("rounds:round_list", scope.query_params())


def _petitions_url(scope):
    # The petition list is a page of one round.
    return list_url("rounds:petition_list", {}, args=[scope.round.pk]) if scope.round is not None else None


def figure_cards(figs: Figures) -> list[dict]:
    scope = figs.scope
    params = scope.query_params()
    cov, fin, rect = figs.coverage, figs.findings, figs.rectification
    findings_url = list_url("findings:finding_list", params)
    cards = [
        _card("coverage", "规划覆盖单位", cov["covered"], f"/ {cov['planned']}个",
              f"{cov['plan'].name if cov['plan'] else '尚无巡察规划'}，覆盖率{cov['rate']}%", _plan_url(cov["plan"]), "map"),
        _card("units_inspected", "巡察单位", figs.inspected["units"], "个", f"涉及{figs.inspected['rounds']}个轮次",
              _rounds_url(scope), "building"),
        _card("findings", "发现问题", fin["total"], "个", f"其中领导小组已审定{fin['approved']}个", findings_url, "search"),
        _card("fixed_on_site", "立行立改（边巡边改）", fin["fixed_on_site"], "个",
              f"占发现问题{selectors.rate(fin['fixed_on_site'], fin['total'])}%",
              list_url("findings:finding_list", params, {"fixed_on_site": "true"}), "lightning"),
        _card("petitions", "受理信访件", figs.petitions["received"], "件", f"已办结{figs.petitions['concluded']}件",
              _petitions_url(scope), "envelope"),
    ]
    if figs.leads is not None:
        receivers = "，".join(f"{r['name']}{r['referred']}件" for r in figs.by_receiver) or "尚未移交"
        results = figs.results["by_kind"]
        cards += [
            _card("leads_referred", "移交问题线索", figs.leads["referred"], "件", receivers,
                  list_url("referrals:statistics", params), "send"),
            _card("leads_disposed", "已处置线索", figs.leads["disposed"], "件",
                  f"处置率{selectors.rate(figs.leads['disposed'], figs.leads['referred'])}%",
                  list_url("referrals:statistics", params), "check2-square"),
            _card("cases_opened", "立案审查调查", figs.cases_opened, "件",
                  f"占已处置线索{selectors.rate(figs.cases_opened, figs.leads['disposed'])}%",
                  list_url("referrals:statistics", params), "folder2-open"),
            _card("disciplined", "党纪政务处分", figs.disciplined, "人",
                  f"党纪处分{results[ResultKind.PARTY_DISCIPLINE]['people']}人，政务处分{results[ResultKind.STATE_DISCIPLINE]['people']}人",
                  list_url("referrals:statistics", params), "person-x"),
            _card("organizational", "组织处理", figs.organizational, "人", "",
                  list_url("referrals:statistics", params), "diagram-3"),
            _card("admonished", "诫勉谈话", figs.admonished, "人", "",
                  list_url("referrals:statistics", params), "chat-left-text"),
        ]
    accountable_note = f"整改中追责问责{figs.progress['accountable']}人"
    if figs.leads is not None:
        accountable_note = f"线索查处问责{figs.accountable_by_receivers}人，{accountable_note}"
    tasks = rect["tasks"]
    overview_url = list_url("rectification:overview", params)
    cards += [
        _card("accountable", "问责", figs.accountable if figs.leads is not None else figs.progress["accountable"], "人",
              accountable_note, overview_url, "person-exclamation"),
        _card("rectified", "问题整改完成", rect["rectified"], f"/ {rect['fed_back']}个",
              f"完成率{rect['rate']}%（整改任务销号率{rect['task_rate']}%）", overview_url,
              "clipboard-check"),
        _card("tasks_overdue", "逾期未完成整改任务", tasks["overdue"], "项",
              f"整改任务{tasks['total']}项，已销号{tasks['closed']}项",
              list_url("rectification:task_list", params, {"overdue": "true"}), "alarm"),
        _card("money_recovered", "回收资金、挽回经济损失", _yuan(figs.money_recovered if figs.leads is not None
                                                          else figs.progress["money"]), "元",
              f"整改中{_yuan(figs.progress['money'])}元" + (f"，线索查处{_yuan(figs.results['money'])}元"
                                                          if figs.leads is not None else ""), overview_url, "cash-coin"),
        _card("rules", "建章立制", figs.progress["rules"], "项", "", overview_url, "journal-text"),
        _card("lookback", "回头看覆盖", figs.lookback["revisited"], f"/ {figs.lookback['units']}个",
              f"覆盖率{figs.lookback['rate']}%，核查整改任务{figs.lookback['tasks_checked']}项，"
              f"未整改到位{figs.lookback['tasks_not_fixed']}项", list_url("rectification:lookback_list", {}),
              "arrow-repeat"),
    ]
    return cards


def figures_json(figs: Figures) -> dict:
    """The API's answer: every figure with its label and the link to the records behind it."""
    return {
        "scope": {**figs.scope.query_params(), "label": figs.scope.label},
        "figures": [
            {k: (str(v) if isinstance(v, Decimal) else v) for k, v in card.items() if k != "icon"}
            for card in figure_cards(figs)
        ],
        "findings_by_area": figs.by_area,
        "coverage_by_kind": figs.coverage["by_kind"],
        "leads_by_receiver": figs.by_receiver if figs.leads is not None else None,
        "dispositions": figs.dispositions if figs.leads is not None else None,
        "results": (
            {k: {"people": v["people"], "money": str(v["money"])} for k, v in figs.results["by_kind"].items()}
            if figs.leads is not None else None
        ),
        "rectification": {**figs.rectification, "rate": figs.rectification["rate"]},
    }


# --- Charts (ECharts options; `xuncha_links` makes bars clickable) --------------------------------------


def _bar(names, series, links=None, horizontal=False):
    category = {"type": "category", "data": names, "axisLabel": {"interval": 0, "width": 120, "overflow": "truncate"}}
    value = {"type": "value", "minInterval": 1}
    option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 10, "right": 20, "bottom": 10, "top": 40, "containLabel": True},
        "xAxis": value if horizontal else category,
        "yAxis": category if horizontal else value,
        "series": [{"type": "bar", "barMaxWidth": 36, **s} for s in series],
    }
    if links:
        option["xuncha_links"] = {k: v for k, v in links.items() if v}
    return option


CATEGORY_ROW_PX = 22


def findings_by_category_chart(scope: FigureScope, level: int) -> dict:
    rows = selectors.findings_by_category(scope, level=level)
    names = [r["name"] for r in rows]
    links = {r["name"]: list_url("findings:finding_list", scope.query_params(), {"category": r["id"]}) for r in rows}
    option = _bar(
        names,
        [{"name": "发现问题", "data": [r["count"] for r in rows]},
         {"name": "立行立改", "data": [r["fixed_on_site"] for r in rows]}],
        links,
        horizontal=level == 2,
    )
    if level == 2:
        # One row per category, however many (51 in a county's year): the chart grows to fit them (xuncha.js
        # reads `xuncha_height`), long names are cut at the axis and shown whole in the tooltip.
        option["yAxis"]["inverse"] = True
        option["yAxis"]["axisLabel"].update({"width": 160, "overflow": "truncate"})
        option["tooltip"] = {"trigger": "axis", "axisPointer": {"type": "shadow"}, "confine": True}
        option["xuncha_height"] = max(320, CATEGORY_ROW_PX * len(names) + 80)
    return option


def coverage_chart(scope: FigureScope) -> dict:
    cov = selectors.coverage_figures(scope)
    names = [r["label"] for r in cov["by_kind"]]
    return _bar(names, [{"name": "规划单位", "data": [r["planned"] for r in cov["by_kind"]]},
                        {"name": "已覆盖", "data": [r["covered"] for r in cov["by_kind"]]}])


def referral_outcomes_chart(scope: FigureScope) -> dict:
    receivers = selectors.leads_by_receiver(scope)
    dispositions = selectors.disposition_figures(scope)
    params = scope.query_params()
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"top": 0},
        "grid": {"left": 10, "right": "55%", "bottom": 10, "top": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": [r["name"] for r in receivers]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": "移交", "type": "bar", "barMaxWidth": 36, "data": [r["referred"] for r in receivers]},
            {"name": "已处置", "type": "bar", "barMaxWidth": 36, "data": [r["disposed"] for r in receivers]},
            {
                "name": "处置方式",
                "type": "pie",
                "radius": ["25%", "55%"],
                "center": ["75%", "55%"],
                "data": [{"name": DispositionKind(k).label, "value": v} for k, v in dispositions.items()],
            },
        ],
        "xuncha_links": {
            DispositionKind(k).label: url
            for k in dispositions
            if (url := list_url("referrals:lead_list", params, {"disposition": k}))
        },
    }


def rectification_trend_chart(scope: FigureScope) -> dict:
    rows = selectors.rectification_trend(scope)
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 10, "right": 10, "bottom": 10, "top": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": [r["month"] for r in rows]},
        "yAxis": [
            {"type": "value", "name": "任务（项）", "minInterval": 1},
            {"type": "value", "name": "完成率（%）", "max": 100, "min": 0},
        ],
        "series": [
            {"name": "已销号", "type": "bar", "barMaxWidth": 28, "data": [r["closed"] for r in rows]},
            {"name": "逾期未完成", "type": "bar", "barMaxWidth": 28, "data": [r["overdue"] for r in rows],
             "itemStyle": {"color": "#c0392b"}},
            {"name": "完成率", "type": "line", "yAxisIndex": 1, "data": [r["rate"] for r in rows]},
        ],
    }


CHARTS = {
    "findings_by_area": lambda scope: findings_by_category_chart(scope, 1),
    "findings_by_category": lambda scope: findings_by_category_chart(scope, 2),
    "coverage": coverage_chart,
    "referral_outcomes": referral_outcomes_chart,
    "rectification_trend": rectification_trend_chart,
}
SECRET_CHARTS = {"referral_outcomes"}
