"""回头看覆盖 as of a date (issue 17 item 5): the share over the units fed back by then, revisited by look-back rounds
begun by then — a published "12 of 71" stays 12 of 71 however many later rounds reach feedback."""

import datetime

import pytest

from dashboard import selectors
from dashboard.forms import FigureFilterForm
from dashboard.selectors import FigureScope
from inspection.accounts.models import Role
from rectification.models import Feedback
from rounds.models import Phase, RoundKind, TeamUnit
from tests.factories import UnitFactory
from tests.rounds.factories import PlanFactory, RoundFactory, TeamFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def fed_back(office, plan, units, held_on, kind=RoundKind.REGULAR):
    jurisdiction = office.jurisdiction
    round_ = RoundFactory(plan=plan, kind=kind, phase=Phase.COMPLETED, start_date=held_on - datetime.timedelta(days=60),
                          end_date=held_on - datetime.timedelta(days=20))
    team = TeamFactory(round=round_)
    for unit in units:
        TeamUnit.objects.create(team=team, round=round_, unit=unit)
        Feedback.objects.create(round=round_, unit=unit, jurisdiction=jurisdiction, held_on=held_on, place="会议室",
                                attendees="班子成员", letter_number=f"反〔{held_on.year}〕{unit.pk}号",
                                plan_due_on=held_on + datetime.timedelta(days=30),
                                report_due_on=held_on + datetime.timedelta(days=60), created_by=office)
    return round_


def looked_back(plan, units, start):
    round_ = RoundFactory(plan=plan, kind=RoundKind.LOOKBACK, phase=Phase.COMPLETED, start_date=start,
                          end_date=start + datetime.timedelta(days=30))
    team = TeamFactory(round=round_)
    for unit in units:
        TeamUnit.objects.create(team=team, round=round_, unit=unit)


@pytest.fixture
def history(jurisdiction, office_user):
    plan = PlanFactory(jurisdiction=jurisdiction)
    units = [UnitFactory(jurisdiction=jurisdiction, name=f"县第{i}局") for i in range(10)]
    fed_back(office_user, plan, units[:7], D(2023, 6, 1))      # 7 units inspected by mid-2024
    looked_back(plan, units[:2], D(2024, 3, 1))                  # 2 of them revisited before the report
    fed_back(office_user, plan, units[7:], D(2025, 5, 1))       # 3 more inspected later
    looked_back(plan, units[2:3], D(2025, 9, 1))                 # and a later look-back
    return units


def test_the_share_as_of_a_date_keeps_what_was_reported_then(jurisdiction, history):
    then = selectors.lookback_figures(FigureScope(jurisdiction_id=jurisdiction.pk, lookback_as_of=D(2024, 6, 30)))
    assert (then["revisited"], then["units"], then["rate"]) == (2, 7, selectors.rate(2, 7))
    now = selectors.lookback_figures(FigureScope(jurisdiction_id=jurisdiction.pk))
    assert (now["revisited"], now["units"]) == (3, 10)


def test_the_statistics_filter_takes_the_date_and_refuses_a_bad_one(jurisdiction, make_user, history):
    office = make_user(Role.OFFICE, username="office2")
    form = FigureFilterForm({"lookback_as_of": "2024-06-30"}, user=office)
    assert form.is_valid()
    scope = form.scope()
    assert scope.lookback_as_of == D(2024, 6, 30) and "回头看覆盖截至2024年6月30日" in scope.label
    assert scope.query_params() == {"lookback_as_of": "2024-06-30"}
    bad = FigureFilterForm({"lookback_as_of": "去年"}, user=office)
    assert not bad.is_valid() and bad.errors == {"lookback_as_of": ["请输入有效的日期，如 2024-06-30"]}


def test_the_api_answers_the_share_as_of_the_date(client, jurisdiction, make_user, history):
    client.force_login(make_user(Role.OFFICE, username="office2"))
    body = client.get("/api/dashboard/figures/", {"lookback_as_of": "2024-06-30"}).json()
    card = next(c for c in body["figures"] if c["key"] == "lookback")
    assert (card["value"], card["unit"]) == (2, "/ 7个")
    assert client.get("/api/dashboard/figures/", {"lookback_as_of": "x"}).json() == {
        "lookback_as_of": ["请输入有效的日期，如 2024-06-30"]}
