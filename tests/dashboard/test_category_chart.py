"""The findings-by-category chart stays readable with 51 categories: horizontal bars, one row each, the chart
as tall as its rows, long names cut at the axis and whole in the tooltip (issue 16)."""

from dashboard import cards, selectors
from dashboard.selectors import FigureScope


def test_fifty_one_categories_get_a_row_each(monkeypatch):
    rows = [{"id": i, "code": f"1.{i}", "name": f"第{i}类具体表现：违反中央八项规定精神问题较为突出", "count": i,
             "fixed_on_site": 0} for i in range(1, 52)]
    monkeypatch.setattr(selectors, "findings_by_category", lambda scope, level: rows)
    option = cards.findings_by_category_chart(FigureScope(jurisdiction_id=1), 2)
    assert option["yAxis"]["type"] == "category" and option["xAxis"]["type"] == "value"
    assert len(option["yAxis"]["data"]) == 51 and option["yAxis"]["axisLabel"]["interval"] == 0
    assert option["yAxis"]["axisLabel"]["overflow"] == "truncate"
    assert option["xuncha_height"] >= 51 * cards.CATEGORY_ROW_PX
    assert option["tooltip"]["trigger"] == "axis"
