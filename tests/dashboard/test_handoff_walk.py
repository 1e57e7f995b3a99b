"""In Chromium (issue 16): one finding and one lead through every handoff of the chain, each person finding the
work in the to-do count and the notice of the step before — the member drafts and submits, the team leader
approves from the to-do list, the office reviews, the leading group approves in a batch at a meeting, the office
records the feedback, the liaison (notified) plans in one table, the office accepts, the liaison reports progress
and asks to close, the office closes with its verification opinion, refers a lead from the finding, and the
discipline commission's disposition and result come back to the office as notices."""

import datetime

import pytest
from django.utils import timezone

from findings.models import Finding, FindingStatus
from inspection.accounts.models import ReceivingBody, Role
from rectification.models import Feedback, Task, TaskStatus
from referrals.models import Lead, LeadStatus
from rounds.models import Phase, Round
from tests.conftest import save_screenshot
from tests.factories import TEST_PASSWORD, ReceivingBodyFactory
from tests.findings.conftest import leader, member, team_unit  # noqa: F401 — fixtures of the team
from tests.findings.factories import manifestation

pytestmark = pytest.mark.browser


class Walk:
    def __init__(self, page, login, base):
        self.page, self._login, self.base = page, login, base
        self.signed_in = False

    def as_user(self, user):
        if self.signed_in:
            self.page.click("nav form[action$='/accounts/logout/'] button")
            self.page.wait_for_selector("input[name=username]")
        self._login(user.username, TEST_PASSWORD)
        self.signed_in = True

    def go(self, path):
        self.page.goto(self.base + path)

    def todo_count(self) -> int:
        """The navigation's 待办 count, once htmx has replaced the placeholder (empty when nothing waits)."""
        self.go("/")
        self.page.wait_for_selector("nav #todo-count:not([hx-get])", state="attached")
        text = self.page.inner_text("nav #todo-count").strip()
        return int(text) if text else 0

    def notices(self) -> str:
        self.go("/accounts/notifications/")
        return self.page.inner_text("main")

    def handed_to(self, user, *, todo, notice):
        """The next person signs in: the to-do count says `todo`, the notice of the step before is there."""
        self.as_user(user)
        assert self.todo_count() == todo
        assert notice in self.notices()


def test_one_finding_and_one_lead_through_every_handoff(team_unit, member, leader, make_user, jurisdiction,  # noqa: F811
                                                       browser_page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    office = make_user(Role.OFFICE, username="w_office", display_name="孙丽娟")
    group = make_user(Role.LEADING_GROUP, username="w_group", display_name="李书记")
    liaison = make_user(Role.UNIT_LIAISON, username="w_liaison", display_name="周晓东", unit=team_unit.unit)
    body = ReceivingBodyFactory(jurisdiction=jurisdiction, kind=ReceivingBody.Kind.DISCIPLINE, name="清河县纪委监委")
    commission = make_user(Role.DISCIPLINE, username="w_jiwei", display_name="纪委老李", receiving_body=body)
    page, login = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    walk = Walk(page, login, live_server.url)

    # The member drafts the finding and submits it.
    walk.as_user(leader)
    assert walk.todo_count() == 0
    walk.as_user(member)
    walk.go("/findings/new/")
    page.select_option("select[name=team_unit]", str(team_unit.pk))
    page.fill(".category-tree-search", "公款吃喝")
    page.click(f".category-leaf[data-value='{manifestation('3.3.1').pk}']")
    page.fill("input[name=title]", "财政局机关食堂违规公款吃喝")
    page.fill("textarea[name=facts]", "2026年9月，该局在机关食堂以接待名义宴请县直单位人员4次，费用7800元由办公经费列支。")
    page.fill("textarea[name=basis]", "违反《中国共产党纪律处分条例》第一百零六条")
    page.click("form#finding-form button[type=submit]")
    page.click("button[data-verb=submit]")
    page.wait_for_selector("#finding-status >> text=待组长审核")
    finding = Finding.objects.get(title="财政局机关食堂违规公款吃喝")

    # The team leader: one to-do, the notice, approved from the to-do list.
    walk.handed_to(leader, todo=1, notice=f"待组长审核：问题#{finding.pk}“财政局机关食堂违规公款吃喝”")
    walk.go("/dashboard/todo/")
    page.click(f"#todo a[href$='/findings/{finding.pk}/']")
    page.click("button[data-verb=leader_approve]")
    page.wait_for_selector("#finding-status >> text=组长已审核")

    # The office reviews it.
    walk.handed_to(office, todo=1, notice=f"待巡察办审核：问题#{finding.pk}")
    walk.go(f"/findings/{finding.pk}/")
    page.click("button[data-verb=office_review]")
    page.wait_for_selector("#finding-status >> text=巡察办已审核")

    # The leading group approves it with the other waiting findings at one meeting.
    walk.handed_to(group, todo=1, notice=f"待领导小组审定：问题#{finding.pk}")
    walk.go("/findings/?status=office_reviewed")
    page.check(f"input[name=ids][value='{finding.pk}']")
    page.fill("input[name=meeting_name]", "县委巡察工作领导小组2026年第5次会议")
    page.fill("input[name=meeting_number]", "2026年第5次")
    page.fill("input[name=meeting_date]", timezone.localdate().isoformat())
    page.click("#batch-approve")
    page.wait_for_selector("#batch-succeeded")
    save_screenshot(page, "walk-1-meeting-approved")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.APPROVED
    walk.as_user(member)
    assert f"问题已审定：问题#{finding.pk}" in walk.notices()

    # The round reaches feedback; the office records it and the liaison is told.
    Round.objects.filter(pk=team_unit.round_id).update(phase=Phase.FEEDBACK)
    walk.as_user(liaison)
    assert walk.todo_count() == 0
    walk.as_user(office)
    walk.go("/rectification/feedback/new/")
    page.select_option("select[name=round]", str(team_unit.round_id))
    page.select_option("select[name=unit]", str(team_unit.unit_id))
    page.fill("input[name=place]", "县财政局三楼会议室")
    page.fill("textarea[name=attendees]", "局领导班子成员、中层干部")
    page.fill("input[name=letter_number]", "清巡反〔2026〕3号")
    page.click("#rectification-form button[type=submit]")
    page.wait_for_selector("#problem-list")
    feedback = Feedback.objects.get(unit=team_unit.unit)

    # The liaison: the notice, the plan to write, every task in one table with the facts in view.
    walk.handed_to(liaison, todo=1, notice="巡察反馈已登记")
    assert "请制定整改方案" in walk.notices()
    walk.go(f"/rectification/plans/{feedback.plan.pk}/tasks/table/")
    assert "以接待名义宴请县直单位人员4次" in page.inner_text("#plan-tasks")
    page.fill("textarea[name=tasks-0-measures]", "清退违规列支费用7800元，修订机关食堂管理办法。")
    page.fill("input[name=tasks-0-responsible_leader]", "王建国")
    page.fill("input[name=tasks-0-responsible_department]", "办公室")
    page.fill("input[name=tasks-0-deadline]", (timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    page.select_option("select[name=tasks-0-kind]", "time_limited")
    page.click("#plan-tasks-form button[type=submit]")
    page.wait_for_selector("#problem-list")
    page.click("#edit-plan")
    page.fill("textarea[name=content]", "成立整改工作领导小组，建立问题、任务、责任三个清单，逐项整改销号。")
    page.click("#rectification-form button[type=submit]")
    page.click("#plan button[data-verb=submit]")
    page.wait_for_selector("#plan-status:has-text('已报送待审核')")

    # The office accepts the plan.
    walk.handed_to(office, todo=1, notice="报送了整改方案")
    walk.go(f"/rectification/feedback/{feedback.pk}/")
    page.click("#plan button[data-verb=accept]")
    page.wait_for_selector("#plan-status:has-text('已审核通过')")

    # The liaison reports progress and asks to close the task.
    walk.as_user(liaison)
    assert "整改方案已审核通过" in walk.notices()
    task = Task.objects.get(plan=feedback.plan)
    walk.go(f"/rectification/tasks/{task.pk}/")
    page.click("#report-progress")
    page.fill("textarea[name=description]", "已清退违规列支费用7800元，修订印发机关食堂管理办法。")
    page.click("#rectification-form button[type=submit]")
    page.wait_for_selector("#progress-table")
    page.click("#task-moves button[data-verb=submit]")
    page.wait_for_selector("#task-status:has-text('已申请销号')")

    # The office closes it with its verification opinion.
    walk.handed_to(office, todo=1, notice=f"整改任务#{task.pk}（清河县财政局）申请销号，请核验")
    walk.go(f"/rectification/tasks/{task.pk}/")
    page.click("#close-task")
    page.fill("textarea[name=verification_opinion]", "经查阅退款凭证和新修订的管理办法，整改到位，同意销号。")
    page.click("#close-form button[type=submit]")
    page.wait_for_selector("#task-status:has-text('已销号')")
    walk.as_user(liaison)
    assert f"整改任务#{task.pk}（清河县财政局）已核验销号" in walk.notices()

    # The office refers a lead from the finding to the discipline commission.
    walk.as_user(office)
    walk.go(f"/findings/{finding.pk}/")
    page.click("#refer-finding")
    page.fill("input[name=subject_name]", "王某某")
    page.fill("input[name=subject_post]", "县财政局办公室主任")
    page.click("form#lead-form button[type=submit]")
    lead = Lead.objects.get(finding=finding)
    walk.go("/referrals/batches/new/")
    page.select_option("select[name=receiving_body]", str(body.pk))
    page.fill("input[name=letter_number]", "清巡办移〔2026〕9号")
    page.fill("input[name=letter_date]", timezone.localdate().isoformat())
    page.check(f"input[name=leads][value='{lead.pk}']")
    page.click("form#batch-form button[type=submit]")
    page.click("#batch-send")
    page.wait_for_selector("#letter-link")

    # The commission signs, disposes and records the result.
    walk.as_user(commission)
    assert walk.todo_count() >= 1
    walk.go("/referrals/workspace/")
    page.click("#to-sign a:has-text('清巡办移〔2026〕9号')")
    page.click("#batch-sign")
    page.wait_for_selector("#batch-status:has-text('已签收')")
    walk.go(f"/referrals/leads/{lead.pk}/")
    page.select_option("#dispose-card select[name=kind]", "case_opened")
    page.click("#dispose-card button[type=submit]")
    page.wait_for_selector("#results-card")
    page.fill("#results-card input[name=people_party_discipline]", "1")
    page.click("#results-card button[type=submit]")
    page.wait_for_selector("#results")

    # The office is told of both, and the notices never name the person.
    walk.as_user(office)
    told = walk.notices()
    assert f"{lead}已处置" in told and f"{lead}已办结" in told
    assert "王某某" not in told
    save_screenshot(page, "walk-2-office-notices")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONCLUDED
    assert Task.objects.get(pk=task.pk).status == TaskStatus.CLOSED
