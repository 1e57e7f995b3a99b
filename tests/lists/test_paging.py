"""List pages at province scale: a capped count ("共 10,000+ 条"), capped page numbers, `?page=last` and bad page
numbers that give a normal page, and the same number of queries on a page of few rows as on a deep page of many."""

import pytest
from django.urls import reverse

from findings.models import Finding
from inspection.core.paging import CappedPaginator
from inspection.units.models import Unit
from tests.factories import UnitFactory
from tests.findings.factories import FindingFactory, TeamUnitFactory

pytestmark = pytest.mark.django_db


def test_paginator_counts_at_most_the_cap_and_pages_only_that_far(jurisdiction):
    UnitFactory.create_batch(40, jurisdiction=jurisdiction)
    paginator = CappedPaginator(Unit.objects.order_by("id"), 10, max_count=25)
    assert paginator.capped and paginator.count == 25 and paginator.count_label == "25+"
    assert paginator.num_pages == 3
    ids = list(Unit.objects.order_by("id").values_list("pk", flat=True))
    last = paginator.get_page(paginator.number_or_last("last"))
    assert last.number == 3 and [u.pk for u in last.object_list] == ids[20:25]
    assert paginator.get_page("abc").number == 1
    assert paginator.get_page("999").number == 3
    assert paginator.get_page(paginator.number_or_last("9" * 40)).number == 1


def test_paginator_counts_a_small_scope_exactly(jurisdiction):
    UnitFactory.create_batch(12, jurisdiction=jurisdiction)
    paginator = CappedPaginator(Unit.objects.order_by("-id"), 5, max_count=25)
    assert not paginator.capped and paginator.count == 12 and paginator.count_label == "12"
    assert paginator.num_pages == 3
    # Rows come back in the queryset's order (ids first, then the rows of those ids).
    assert [u.pk for u in paginator.page(1).object_list] == list(
        Unit.objects.order_by("-id").values_list("pk", flat=True)[:5]
    )


def test_large_scope_shows_capped_count_and_asks_for_filters(office_client, jurisdiction, settings):
    settings.LIST_PAGE_MAX_COUNT = 40
    UnitFactory.create_batch(50, jurisdiction=jurisdiction)
    page = office_client.get(reverse("units:unit_list")).content.decode()
    assert "第 1 / 2 页，共 40+ 条" in page
    assert "只能翻阅前 40 条" in page and "筛选条件" in page
    last = office_client.get(reverse("units:unit_list"), {"page": "last"})
    assert last.status_code == 200 and last.context["page_obj"].number == 2
    assert len(last.context["object_list"]) == 10  # rows 31-40: nothing beyond the cap


def test_small_scope_shows_exact_count_and_page_links(office_client, jurisdiction):
    UnitFactory.create_batch(65, jurisdiction=jurisdiction)
    response = office_client.get(reverse("units:unit_list"), {"page": 2})
    page = response.content.decode()
    assert "第 2 / 3 页，共 65 条" in page
    assert "只能翻阅" not in page
    for number in (1, 3):
        assert f"page={number}\">{number}</a>" in page
    assert "上一页" in page and "下一页" in page


@pytest.mark.parametrize("value", ["last", "abc", "0", "-3", "1.5", "99999999", "9" * 60, "", "%00"])
def test_bad_page_numbers_give_a_normal_page(office_client, jurisdiction, value):
    team_unit = TeamUnitFactory(team__round__jurisdiction=jurisdiction)
    FindingFactory.create_batch(3, team_unit=team_unit)
    for name in ("findings:finding_list", "units:unit_list", "rectification:task_list", "referrals:lead_list",
                 "rounds:round_list", "rounds:plan_list"):
        response = office_client.get(reverse(name), {"page": value})
        assert response.status_code == 200, (name, value)


def _findings(jurisdiction, count):
    team_unit = TeamUnitFactory(team__round__jurisdiction=jurisdiction)
    FindingFactory.create_batch(count, team_unit=team_unit)


@pytest.mark.parametrize("rows", [3, 120])
@pytest.mark.parametrize("query", [{}, {"page": "last"}, {"status": "draft", "page": "2"}])
def test_findings_page_queries_do_not_grow_with_rows(office_client, jurisdiction, settings, rows, query,
                                                     django_assert_max_num_queries):
    settings.LIST_PAGE_MAX_COUNT = 100  # 120 rows: a capped scope, its last page deep in the rows
    _findings(jurisdiction, rows)
    with django_assert_max_num_queries(14):
        response = office_client.get(reverse("findings:finding_list"), query)
    assert response.status_code == 200
    if rows > 100:
        assert response.context["paginator"].capped


@pytest.mark.parametrize("rows", [3, 70])
def test_units_page_queries_do_not_grow_with_rows(office_client, jurisdiction, rows, django_assert_max_num_queries):
    UnitFactory.create_batch(rows, jurisdiction=jurisdiction)
    with django_assert_max_num_queries(10):
        assert office_client.get(reverse("units:unit_list"), {"page": "last"}).status_code == 200


def test_capped_last_page_of_findings_is_the_oldest_reachable(office_client, jurisdiction, settings):
    settings.LIST_PAGE_MAX_COUNT = 60
    _findings(jurisdiction, 75)
    response = office_client.get(reverse("findings:finding_list"), {"page": "last"})
    newest_first = list(Finding.objects.order_by("-id").values_list("pk", flat=True))
    assert response.context["page_obj"].number == 2
    assert [f.pk for f in response.context["object_list"]] == newest_first[50:60]
    assert "共 60+ 条" in response.content.decode()


@pytest.mark.parametrize("plans", [2, 45])
def test_plan_counts_are_computed_for_the_page_rows(office_client, jurisdiction, plans, django_assert_max_num_queries):
    from tests.findings.factories import PlanFactory, RoundFactory

    units = UnitFactory.create_batch(3, jurisdiction=jurisdiction)
    made = PlanFactory.create_batch(plans, jurisdiction=jurisdiction)
    newest = made[0]
    newest.units.set(units)
    RoundFactory.create_batch(2, jurisdiction=jurisdiction, plan=newest)
    with django_assert_max_num_queries(10):
        response = office_client.get(reverse("rounds:plan_list"))
    rows = {plan.pk: plan for plan in response.context["object_list"]}
    assert rows[newest.pk].unit_count == 3 and rows[newest.pk].round_count == 2
    assert len(rows) == min(plans, 30)
    assert f"共 {plans} 条" in response.content.decode() or plans <= 30
