"""The dashboard page, the home page, the charts and the API: who sees them, what they show, links, queries."""

import pytest
from django.urls import reverse

from dashboard import selectors
from dashboard.selectors import FigureScope
from inspection.accounts.models import Role

from .factories import build_world


@pytest.fixture
def world(jurisdiction):
    return build_world(jurisdiction, seed=11, units=8)


def _card(response, key):
    return next(c for c in response.context["cards"] if c["key"] == key)


def test_office_sees_figures_with_links_to_the_records(office_client, world):
    round_ = world.rounds[1]
    response = office_client.get("/dashboard/", {"round": round_.pk})
    assert response.status_code == 200
    figs = selectors.figures(FigureScope(jurisdiction_id=world.jurisdiction.pk, round=round_), include_leads=True)
    findings = _card(response, "findings")
    assert findings["value"] == figs.findings["total"] > 0
    assert findings["url"] == f"/findings/?round={round_.pk}"
    assert _card(response, "fixed_on_site")["url"] == f"/findings/?round={round_.pk}&fixed_on_site=true"
    assert _card(response, "leads_referred")["value"] == figs.leads["referred"]
    html = response.content.decode()
    assert f'href="/findings/?round={round_.pk}"' in html
    assert "统计范围：" + str(round_) in html
    assert 'data-chart-src="/dashboard/charts/findings_by_area.json?round=' in html
    assert "vendor/echarts/echarts.min.js" in html and "<script>" not in html


def test_leading_group_member_sees_the_figures_on_the_home_page(client, make_user, world):
    client.force_login(make_user(Role.LEADING_GROUP))
    response = client.get("/")
    assert response.status_code == 200
    figs = selectors.figures(FigureScope(jurisdiction_id=world.jurisdiction.pk), include_leads=True)
    assert _card(response, "findings")["value"] == figs.findings["total"]
    assert _card(response, "rectified")["note"].startswith(f"完成率{figs.rectification['rate']}%")
    assert 'id="figure-cards"' in response.content.decode()
    assert "统计分析" in [e["label"] for e in response.context["nav_entries"]]


@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.TEAM_MEMBER, Role.DISCIPLINE, Role.ORGANIZATION,
                                  Role.UNIT_LIAISON])
def test_other_roles_do_not_get_the_dashboard(client, make_user, world, role):
    user = make_user(role)
    client.force_login(user)
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/charts/findings_by_area.json").status_code == 403
    assert client.get("/api/dashboard/figures/").status_code == 403
    home = client.get("/")
    assert home.status_code == 200 and "cards" not in home.context
    assert "统计分析" not in [e["label"] for e in home.context["nav_entries"]]


def test_figures_of_another_county_are_not_counted(client, make_user, world, other_jurisdiction):
    build_world(other_jurisdiction, seed=3, units=6)
    stranger = make_user(Role.OFFICE, jurisdiction=other_jurisdiction)
    client.force_login(stranger)
    mine = selectors.figures(FigureScope(jurisdiction_id=other_jurisdiction.pk), include_leads=True)
    response = client.get("/api/dashboard/figures/")
    values = {f["key"]: f["value"] for f in response.json()["figures"]}
    assert values["findings"] == mine.findings["total"]
    # a plan of the first county is not a valid choice for the second
    assert client.get("/api/dashboard/figures/", {"plan": world.plans[1].pk}).status_code == 400


def test_api_answers_the_same_figures_as_the_page(office_client, world):
    plan = world.plans[1]
    api = office_client.get("/api/dashboard/figures/", {"plan": plan.pk, "unit_kind": "township"}).json()
    page = office_client.get("/dashboard/", {"plan": plan.pk, "unit_kind": "township"})
    assert api["scope"]["plan"] == plan.pk and api["scope"]["unit_kind"] == "township"
    assert {f["key"]: f["value"] for f in api["figures"]} == {c["key"]: c["value"] for c in page.context["cards"]}
    figs = selectors.figures(FigureScope(jurisdiction_id=world.jurisdiction.pk, plan=plan, unit_kind="township"),
                             include_leads=True)
    assert {a["name"]: a["count"] for a in api["findings_by_area"]} == {a["name"]: a["count"] for a in figs.by_area}
    assert api["rectification"]["fed_back"] == figs.rectification["fed_back"]


def test_charts_are_echarts_options_with_clickable_bars(office_client, world):
    round_ = world.rounds[1]
    area = office_client.get(reverse("dashboard:chart", args=["findings_by_area"]), {"round": round_.pk}).json()
    rows = selectors.findings_by_category(FigureScope(jurisdiction_id=world.jurisdiction.pk, round=round_), 1)
    assert area["xAxis"]["data"] == [r["name"] for r in rows]
    assert area["series"][0]["data"] == [r["count"] for r in rows]
    first = rows[0]
    assert area["xuncha_links"][first["name"]] == f"/findings/?round={round_.pk}&category={first['id']}"
    trend = office_client.get(reverse("dashboard:chart", args=["rectification_trend"])).json()
    assert len(trend["xAxis"]["data"]) == selectors.TREND_MONTHS
    outcomes = office_client.get(reverse("dashboard:chart", args=["referral_outcomes"])).json()
    assert sum(outcomes["series"][0]["data"]) == selectors.lead_figures(
        FigureScope(jurisdiction_id=world.jurisdiction.pk))["referred"]
    coverage = office_client.get(reverse("dashboard:chart", args=["coverage"])).json()
    assert sum(coverage["series"][0]["data"]) == len(world.plans[1].units.all())
    assert office_client.get("/dashboard/charts/nothing.json").status_code == 404


def test_dashboard_page_query_count_is_constant(office_client, office_user, django_assert_max_num_queries,
                                                 other_jurisdiction, jurisdiction):
    build_world(jurisdiction, seed=5, units=4, per_round=1)
    office_client.get("/")  # the session's first refresh after login is not the page's cost
    with django_assert_max_num_queries(40) as few:
        office_client.get("/dashboard/")
    build_world(other_jurisdiction, seed=6, units=30, per_round=12)
    office_user.jurisdiction = other_jurisdiction
    office_user.save()
    with django_assert_max_num_queries(40) as many:
        office_client.get("/dashboard/")
    assert len(few.captured_queries) == len(many.captured_queries)


def test_cards_link_to_the_pages_that_list_their_records(office_client, world):
    round_ = world.rounds[1]
    cards = {c["key"]: c["url"] for c in office_client.get("/dashboard/", {"round": round_.pk}).context["cards"]}
    assert cards["units_inspected"] == f"/rounds/{round_.pk}/"
    assert cards["petitions"] == f"/rounds/{round_.pk}/petitions/"
    assert cards["tasks_overdue"] == f"/rectification/tasks/?round={round_.pk}&overdue=true"
    assert cards["rectified"] == f"/rectification/overview/?round={round_.pk}"
    assert cards["leads_referred"] == f"/referrals/statistics/?round={round_.pk}"
    assert cards["coverage"] == f"/rounds/plans/{round_.plan_id}/"
    for url in filter(None, cards.values()):
        assert office_client.get(url).status_code == 200, url
    by_year = {c["key"]: c["url"] for c in office_client.get("/dashboard/", {"year": 2019}).context["cards"]}
    assert by_year["units_inspected"] == "/rounds/?year=2019"
    assert by_year["petitions"] is None  # the petition list is a page of one round
