"""In Chromium: the office creates a round, forms a team whose leader has a recusal conflict through a
village of the inspected township (parent/child rule), overrides it in writing, and moves the round on site."""

import pytest

from inspection.units.models import RecusalFactor, Specialty, UnitKind
from rounds.models import Membership, Phase, PhaseChange, RecusalCheck, Round
from tests.conftest import save_screenshot
from tests.factories import TEST_PASSWORD, RecusalFactorFactory, UnitFactory

from .factories import PlanFactory, leader_cadre, talent_cadre

pytestmark = pytest.mark.browser


@pytest.fixture
def setup(jurisdiction, office_user):
    town = UnitFactory(jurisdiction=jurisdiction, name="城关镇", kind=UnitKind.TOWNSHIP)
    village = UnitFactory(jurisdiction=jurisdiction, name="东关社区", kind=UnitKind.VILLAGE, parent=town)
    plan = PlanFactory(jurisdiction=jurisdiction, name="清河县委十四届巡察规划（2022—2026年）")
    plan.units.set([town, village])
    leader = leader_cadre(jurisdiction, name="王建国")
    RecusalFactorFactory(cadre=leader, unit=village, kind=RecusalFactor.Kind.RELATIVE, description="妻子在该社区任会计")
    auditor = talent_cadre(jurisdiction, name="李审计")
    auditor.specialties.add(Specialty.objects.get_or_create(code="audit", defaults={"name": "审计", "counts_as_finance": True})[0])
    return {"plan": plan, "town": town, "leader": leader, "auditor": auditor, "office": office_user}


def test_round_team_recusal_override_onsite(setup, browser_page, live_server):
    page, login = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    login(setup["office"].username, TEST_PASSWORD)

    page.goto(live_server.url + "/rounds/")
    page.click("text=新建轮次")
    page.select_option("select[name=plan]", str(setup["plan"].pk))
    page.select_option("select[name=kind]", "regular")
    page.fill("input[name=start_date]", "2026-12-01")
    page.fill("input[name=end_date]", "2027-01-20")
    page.click("#rounds-form button[type=submit]")
    page.wait_for_selector("#round-phase")
    assert "准备" in page.inner_text("#round-phase")
    round_url = page.url
    save_screenshot(page, "rounds-1-round-created")

    page.click("text=组建巡察组")
    page.click("#rounds-form button[type=submit]")
    page.wait_for_selector("#add-unit-form")
    page.select_option("#add-unit-form select[name=unit]", str(setup["town"].pk))
    page.click("#add-unit-form button[type=submit]")
    page.wait_for_selector("#team-units >> text=城关镇")

    page.select_option("#add-member-form select[name=position]", "leader")
    page.select_option("#add-member-form select[name=cadre]", str(setup["leader"].pk))
    page.click("#add-member-form button[type=submit]")
    page.wait_for_selector("text=回避冲突")
    assert "东关社区" in page.inner_text("#add-member-form")
    save_screenshot(page, "rounds-2-recusal-conflict")

    page.select_option("#add-member-form select[name=position]", "member")
    page.select_option("#add-member-form select[name=cadre]", str(setup["auditor"].pk))
    page.click("#add-member-form button[type=submit]")
    page.wait_for_selector("#member-table >> text=李审计")

    page.goto(round_url)
    page.click("#recusal-link")
    page.wait_for_selector("#recusal-checks")
    page.click("text=说明理由后安排")
    page.fill("textarea[name=reason]", "该同志配偶所在社区不在本轮重点了解范围，经巡察办集体研究同意安排，并不参与涉及该社区的谈话")
    page.click("#rounds-form button[type=submit]")
    page.wait_for_selector("#recusal-checks >> text=巡察办书面说明后安排")
    save_screenshot(page, "rounds-3-override")

    page.goto(round_url)
    page.click("#phase-moves button:has-text('进驻被巡察单位')")
    page.wait_for_selector("#round-phase:has-text('进驻')")
    save_screenshot(page, "rounds-4-onsite")

    round = Round.objects.get()
    assert round.phase == Phase.ONSITE and round.number == 1
    assert PhaseChange.objects.filter(round=round, to_phase=Phase.ONSITE, actor=setup["office"]).exists()
    check = RecusalCheck.objects.get(cadre=setup["leader"])
    assert check.result == RecusalCheck.Result.OVERRIDDEN and "集体研究" in check.override_reason
    assert Membership.objects.filter(cadre=setup["leader"], position="leader", is_active=True).exists()
