"""The city and province roll-up: the hourly job counts each office with the county dashboard's own code, a
higher office sees its subordinate offices added up (never their records), drills down, filters by year and
sorts; the page and the API answer from the summary table in a constant number of queries."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from dashboard import rollup, selectors
from dashboard.models import OfficeFigures
from dashboard.selectors import FigureScope
from inspection.accounts.models import Jurisdiction, Role
from rounds.models import Round
from tests.factories import JurisdictionFactory

from .factories import build_world

ROLLUP = "/dashboard/rollup/"
API = "/api/dashboard/rollup/"


@pytest.fixture
def province(db, jurisdiction, other_jurisdiction):
    """河北省 → 河阳市 (清河县 with a big world, 柳林县 with a small one) and 安平市 (桃源县)."""
    prov = JurisdictionFactory(name="河北省", level=Jurisdiction.Level.PROVINCE)
    city = JurisdictionFactory(name="河阳市", level=Jurisdiction.Level.CITY, parent=prov)
    other_city = JurisdictionFactory(name="安平市", level=Jurisdiction.Level.CITY, parent=prov)
    third = JurisdictionFactory(name="桃源县", parent=other_city)
    Jurisdiction.objects.filter(pk__in=[jurisdiction.pk, other_jurisdiction.pk]).update(parent=city)
    worlds = {
        jurisdiction.pk: build_world(jurisdiction, seed=7),
        other_jurisdiction.pk: build_world(other_jurisdiction, seed=99, units=6, per_round=2),
        third.pk: build_world(third, seed=5, units=5, per_round=2),
    }
    written = rollup.refresh()
    return {"province": prov, "city": city, "other_city": other_city, "counties": [jurisdiction, other_jurisdiction],
            "third": third, "worlds": worlds, "written": written}


def own(jurisdiction_id, year=None):
    return rollup.counters_of(selectors.figures(FigureScope(jurisdiction_id=jurisdiction_id, year=year),
                                                include_leads=True))


def added(*ids, year=None):
    rows = [own(i, year) for i in ids]
    return {k: sum((r[k] for r in rows), Decimal("0") if isinstance(rows[0][k], Decimal) else 0) for k in rows[0]}


def login(client, make_user, role, jurisdiction):
    client.force_login(make_user(role, jurisdiction=jurisdiction))
    return client


def test_refresh_counts_every_office_with_the_county_dashboard_code(province):
    county = province["counties"][0]
    years = sorted({r.start_date.year for r in Round.objects.filter(jurisdiction=county)})
    rows = {row.year: row for row in OfficeFigures.objects.filter(jurisdiction=county)}
    assert set(rows) == {None, *years}
    for year, row in rows.items():
        want = own(county.pk, year)
        assert {k: getattr(row, k) for k in want} == want, year
    # the whole-term row shows the coverage of the latest plan, as the county dashboard does
    assert rows[None].planned_units == len(province["worlds"][county.pk].plans[1].units.all())
    assert rows[None].findings > 10 and rows[None].leads_referred > 0 and rows[None].fed_back > 0
    # every office gets its whole-term row, the province and the cities (no rounds) included
    assert OfficeFigures.objects.filter(year__isnull=True).count() == Jurisdiction.objects.count()
    assert province["written"] == OfficeFigures.objects.count()
    # a second run replaces the rows instead of adding to them
    assert rollup.refresh([county.pk]) == len(rows)
    assert OfficeFigures.objects.filter(jurisdiction=county).count() == len(rows)


def test_city_office_sees_each_county_and_the_total(client, make_user, province):
    city, (qinghe, liulin) = province["city"], province["counties"]
    response = login(client, make_user, Role.OFFICE, city).get(ROLLUP)
    assert response.status_code == 200
    rows = {r["office"].id: r["values"] for r in response.context["rollup_rows"]}
    assert set(rows) == {qinghe.pk, liulin.pk}  # the city has no rounds of its own
    for county in (qinghe, liulin):
        want = own(county.pk)
        assert rows[county.pk]["findings"] == want["findings"]
        assert rows[county.pk]["completion_rate"] == selectors.rate(want["rectified"], want["fed_back"])
        assert rows[county.pk]["money_recovered"] == want["money_in_rectification"] + want["money_by_receivers"]
    total = response.context["rollup_total"]
    both = added(qinghe.pk, liulin.pk)
    assert (total["findings"], total["fed_back"], total["rectified"], total["leads_referred"]) == (
        both["findings"], both["fed_back"], both["rectified"], both["leads_referred"])
    # the rate of the total is recomputed from the sums, not an average of the counties' rates
    assert total["completion_rate"] == selectors.rate(both["rectified"], both["fed_back"])
    assert total["coverage_rate"] == selectors.rate(both["covered_units"], both["planned_units"])
    html = response.content.decode()
    assert "统计截至" in html and 'id="rollup-table"' in html and "data-chart=" in html
    assert "立即刷新" in html and "<script>" not in html
    assert "清河县" in html and "柳林县" in html and "桃源县" not in html


def test_province_rows_are_cities_with_their_counties_and_drill_down(client, make_user, province):
    prov, city, other_city = province["province"], province["city"], province["other_city"]
    client = login(client, make_user, Role.LEADING_GROUP, prov)
    body = client.get(API).json()
    rows = {r["jurisdiction"]["id"]: r for r in body["rows"]}
    assert set(rows) == {city.pk, other_city.pk}
    qinghe, liulin = province["counties"]
    assert rows[city.pk]["figures"]["findings"] == added(qinghe.pk, liulin.pk)["findings"]
    assert rows[other_city.pk]["figures"]["findings"] == own(province["third"].pk)["findings"]
    assert body["total"]["findings"] == added(qinghe.pk, liulin.pk, province["third"].pk)["findings"]
    assert body["computed_at"] and body["includes_lead_figures"] is True
    # drill down: the city's row opens the city's roll-up, a row per county
    assert rows[city.pk]["rollup_url"] == f"{ROLLUP}?jurisdiction={city.pk}"
    page = client.get(rows[city.pk]["rollup_url"])
    assert page.status_code == 200
    assert {r["office"].id for r in page.context["rollup_rows"]} == {qinghe.pk, liulin.pk}
    assert page.context["rollup_up_url"] == f"{ROLLUP}?jurisdiction={prov.pk}"
    # the chart ranks the cities by completion rate, and a bar opens the city's roll-up
    chart = client.get(ROLLUP).context["rollup_chart"]
    assert "整改完成率" in chart and f"?jurisdiction={city.pk}" in chart


def test_year_filter_adds_up_the_rows_of_that_year(client, make_user, province):
    qinghe, liulin = province["counties"]
    year = province["worlds"][qinghe.pk].rounds[1].start_date.year
    client = login(client, make_user, Role.OFFICE, province["city"])
    body = client.get(API, {"year": year}).json()
    assert body["year"] == year and year in body["years"]
    assert body["total"]["findings"] == added(qinghe.pk, liulin.pk, year=year)["findings"]
    assert body["total"]["tasks"] == added(qinghe.pk, liulin.pk, year=year)["tasks"]
    # a year nobody inspected in: zeros, not an error
    assert client.get(API, {"year": 2001}).json()["total"]["findings"] == 0


def test_rows_sort_by_a_figure(client, make_user, province):
    client = login(client, make_user, Role.OFFICE, province["city"])
    for key in ("findings", "-findings", "completion_rate", "-tasks_overdue", "name"):
        rows = client.get(ROLLUP, {"sort": key}).context["rollup_rows"]
        name = key.lstrip("-")
        values = [r["office"].id if name == "name" else r["values"][name] for r in rows]
        assert values == sorted(values, reverse=key.startswith("-")), key


def test_a_city_and_a_county_see_only_their_own_subtree(client, make_user, province):
    prov, city, other_city = province["province"], province["city"], province["other_city"]
    qinghe, liulin = province["counties"]
    county_office = login(Client(), make_user, Role.OFFICE, qinghe)
    assert county_office.get(ROLLUP).status_code == 200  # its own office: its own row only
    for target in (liulin, city, prov):
        assert county_office.get(ROLLUP, {"jurisdiction": target.pk}).status_code == 403
        assert county_office.get(API, {"jurisdiction": target.pk}).status_code == 403
    city_office = login(Client(), make_user, Role.OFFICE, city)
    assert city_office.get(ROLLUP, {"jurisdiction": qinghe.pk}).status_code == 200
    for target in (other_city, prov, province["third"]):
        assert city_office.get(ROLLUP, {"jurisdiction": target.pk}).status_code == 403
        assert city_office.get(API, {"jurisdiction": target.pk}).status_code == 403
    assert city_office.get(API, {"jurisdiction": 999999}).status_code == 404
    # the figures are aggregates: the city office gains no access to the counties' records
    assert city_office.get("/api/findings/").json()["results"] == []
    finding = province["worlds"][qinghe.pk].rounds[1].findings.first()
    assert city_office.get(f"/api/findings/{finding.pk}/").status_code in (403, 404)


@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.TEAM_MEMBER, Role.DISCIPLINE, Role.ORGANIZATION,
                                  Role.UNIT_LIAISON])
def test_other_roles_of_a_city_get_no_rollup(client, make_user, province, role):
    client = login(client, make_user, role, province["city"])
    assert client.get(ROLLUP).status_code == 403
    assert client.get(API).status_code == 403
    assert client.post(reverse("dashboard:rollup_refresh")).status_code == 403
    assert "下级汇总" not in [e["label"] for e in client.get("/").context["nav_entries"]]


def test_lead_figures_only_for_roles_that_may_see_lead_statistics(client, make_user, province, monkeypatch):
    client = login(client, make_user, Role.OFFICE, province["city"])
    assert "leads_referred" in client.get(API).json()["total"]
    monkeypatch.setattr("dashboard.rollup_views.may_see_lead_figures", lambda user: False)
    body = client.get(API).json()
    lead_keys = rollup.LEAD_COUNTERS
    assert not lead_keys & set(body["total"]) and not any(lead_keys & set(r["figures"]) for r in body["rows"])
    qinghe, liulin = province["counties"]
    both = added(qinghe.pk, liulin.pk)
    assert Decimal(body["total"]["money_recovered"]) == both["money_in_rectification"]
    assert body["total"]["accountable"] == both["accountable_in_rectification"]
    page = client.get(ROLLUP)
    assert "移交线索" not in [c["label"] for c in page.context["rollup_columns"]]
    assert client.get(ROLLUP, {"sort": "-leads_referred"}).status_code == 200


@pytest.mark.parametrize("params, field", [({"year": "二〇二四"}, "year"), ({"year": "1800"}, "year"),
                                           ({"jurisdiction": "x"}, "jurisdiction"), ({"sort": "password"}, "sort")])
def test_bad_parameters_answer_400_with_a_field_message(client, make_user, province, params, field):
    client = login(client, make_user, Role.OFFICE, province["city"])
    response = client.get(API, params)
    assert response.status_code == 400 and field in response.json()
    page = client.get(ROLLUP, params)
    assert page.status_code == 200 and page.context["rollup_form"].errors[field]


def test_rollup_answers_in_constant_queries_from_the_summary_table(client, make_user, province,
                                                                   django_assert_max_num_queries):
    client = login(client, make_user, Role.OFFICE, province["province"])
    client.get(ROLLUP)  # the session's first refresh after login
    with django_assert_max_num_queries(20) as few:
        client.get(ROLLUP)
    # ten more counties, each with its counters
    for i in range(10):
        county = JurisdictionFactory(name=f"新增县{i}", parent=province["other_city"])
        rollup.refresh([county.pk])
    with django_assert_max_num_queries(20) as many:
        response = client.get(ROLLUP)
    assert len(few.captured_queries) == len(many.captured_queries)
    assert not any("findings_finding" in q["sql"] or "rectification_task" in q["sql"]
                   for q in many.captured_queries)
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        client.get(API)


def test_city_office_home_page_shows_the_rollup(client, make_user, province):
    response = login(client, make_user, Role.OFFICE, province["city"]).get("/")
    assert response.status_code == 200
    assert "rollup" in response.context and "cards" not in response.context
    assert 'id="rollup-table"' in response.content.decode()
    assert "下级汇总" in [e["label"] for e in response.context["nav_entries"]]
    # a county office keeps its own figures on the home page
    county_home = login(Client(), make_user, Role.OFFICE, province["counties"][0]).get("/")
    assert "cards" in county_home.context and "rollup" not in county_home.context


def test_refresh_now_queues_the_office_and_those_below_it(client, make_user, province, monkeypatch):
    from dashboard import tasks

    queued = []
    monkeypatch.setattr(tasks.refresh_rollup, "delay", lambda ids: queued.append(ids))
    city = province["city"]
    client = login(client, make_user, Role.OFFICE, city)
    url = reverse("dashboard:rollup_refresh")
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200 and "已提交刷新" in response.content.decode()
    assert queued == [sorted([city.pk, *(c.pk for c in province["counties"])])]
    # the leading group reads the roll-up but does not run the job
    leader = login(Client(), make_user, Role.LEADING_GROUP, city)
    assert leader.post(url).status_code == 403
    assert "立即刷新" not in leader.get(ROLLUP).content.decode()
    # a POST without the CSRF token is refused
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user(Role.OFFICE, jurisdiction=city))
    assert strict.post(url).status_code == 403


def test_the_task_refreshes_and_beat_runs_it_hourly(province):
    from dashboard.tasks import refresh_rollup

    OfficeFigures.objects.all().delete()
    assert refresh_rollup.delay([province["third"].pk]).get() == OfficeFigures.objects.count() > 1
    entry = PeriodicTask.objects.get(task="dashboard.refresh_rollup")
    assert entry.enabled and entry.crontab.hour == "*"
