"""What the roll-up page, the home page of a city or province office and the API show of `rollup.Rollup`."""

import json
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from inspection.accounts.models import Jurisdiction
from inspection.core import access
from inspection.core.money import yuan

from . import rollup
from .access import may_see_lead_figures
from .forms import RollupFilterForm
from .models import OfficeFigures

LEVELS = dict(Jurisdiction.Level.choices)


def may_see_rollup(user) -> bool:
    return bool(user.is_authenticated and (user.jurisdiction_id or user.is_superuser)
                and access.can(user, "view", OfficeFigures))


def require_rollup(user) -> None:
    if not may_see_rollup(user):
        raise PermissionDenied("您无权查看下级汇总统计")


def may_refresh(user) -> bool:
    return access.can(user, "refresh", OfficeFigures)


def build(user, form: RollupFilterForm) -> rollup.Rollup:
    """The roll-up the (valid or empty) form asks for. 404 for an office that does not exist, 403 for one
    that is neither the user's own nor below it."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    tree = rollup.Tree.load()
    target_id = data.get("jurisdiction") or user.jurisdiction_id
    root = None
    if target_id is not None:
        root = tree.offices.get(target_id)
        if root is None:
            raise Http404
        if not user.is_superuser and not tree.is_within(target_id, user.jurisdiction_id):
            raise PermissionDenied("您无权查看该巡察机构的汇总统计")
    result = rollup.rollup(tree, root, access.visible(user, OfficeFigures), year=data.get("year"))
    result.rows = rollup.sort_rows(result.rows, data.get("sort") or "", include_leads=may_see_lead_figures(user))
    return result


def rollup_url(office_id=None, year=None, sort=None) -> str:
    params = {k: v for k, v in (("jurisdiction", office_id), ("year", year), ("sort", sort)) if v}
    url = reverse("dashboard:rollup")
    return f"{url}?{urlencode(params)}" if params else url


def columns(include_leads: bool) -> list[dict]:
    return [{"key": key, "label": label, "unit": unit}
            for key, label, unit, lead in rollup.COLUMNS if include_leads or not lead]


def _shown(value):
    """Money with thousands separators, as on the county dashboard's cards."""
    return yuan(value) if isinstance(value, Decimal) else value


def _row_name(row: rollup.RollupRow) -> str:
    return f"{row.office.name}（本级）" if row.own else row.office.name


def context(user, form: RollupFilterForm, result: rollup.Rollup, *, sort: str = "") -> dict:
    include_leads = may_see_lead_figures(user)
    cols = columns(include_leads)
    rows = [
        {
            "name": _row_name(row),
            "office": row.office,
            "level": LEVELS.get(row.office.level, ""),
            "own": row.own,
            "values": row.sums.values(include_leads=include_leads),
            "url": rollup_url(row.office.id, result.year) if row.drill else None,
        }
        for row in result.rows
    ]
    for row in rows:
        row["cells"] = [_shown(row["values"][col["key"]]) for col in cols]
    for col in cols:
        col["sort"] = col["key"] if sort == f"-{col['key']}" else f"-{col['key']}"
        col["url"] = rollup_url(result.office.id if result.office else None, result.year, col["sort"])
        col["active"] = sort.lstrip("-") == col["key"]
    total = result.total.values(include_leads=include_leads)
    office = result.office
    parent = None
    if office is not None and office.parent_id and (user.is_superuser or office.id != user.jurisdiction_id):
        parent = rollup_url(office.parent_id, result.year)
    return {
        "rollup": result,
        "rollup_form": form,
        "rollup_office": office,
        "rollup_columns": cols,
        "rollup_rows": rows,
        "rollup_total": total,
        "rollup_total_cells": [_shown(total[col["key"]]) for col in cols],
        "rollup_money": _shown(total["money_recovered"]),
        "rollup_year": result.year,
        "rollup_years": result.years,
        "rollup_up_url": parent,
        "rollup_chart": json.dumps(completion_chart(rows), ensure_ascii=False),
        "rollup_may_refresh": may_refresh(user),
        "rollup_show_leads": include_leads,
    }


def completion_chart(rows: list[dict]) -> dict:
    """Subordinate offices ranked by completion rate (highest on top); a bar opens the office's roll-up."""
    ranked = sorted(rows, key=lambda r: (r["values"]["completion_rate"], -r["office"].id))
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 10, "right": 30, "bottom": 10, "top": 10, "containLabel": True},
        "xAxis": {"type": "value", "max": 100, "min": 0, "name": "%"},
        "yAxis": {"type": "category", "data": [r["name"] for r in ranked]},
        "series": [{"name": "整改完成率（%）", "type": "bar", "barMaxWidth": 24,
                    "data": [r["values"]["completion_rate"] for r in ranked],
                    "label": {"show": True, "position": "right"}}],
        "xuncha_links": {r["name"]: r["url"] for r in ranked if r["url"]},
    }


def _plain(values: dict) -> dict:
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items()}


def api_payload(user, result: rollup.Rollup) -> dict:
    include_leads = may_see_lead_figures(user)
    office = result.office

    def office_json(o):
        return {"id": o.id, "name": o.name, "level": o.level}

    return {
        "jurisdiction": office_json(office) if office else None,
        "year": result.year,
        "years": result.years,
        "computed_at": result.computed_at.isoformat() if result.computed_at else None,
        "includes_lead_figures": include_leads,
        "total": _plain(result.total.values(include_leads=include_leads)),
        "rows": [
            {
                "jurisdiction": office_json(row.office),
                "own": row.own,
                "figures": _plain(row.sums.values(include_leads=include_leads)),
                "rollup_url": rollup_url(row.office.id, result.year) if row.drill else None,
            }
            for row in result.rows
        ],
    }
