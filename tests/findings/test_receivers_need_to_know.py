"""Discipline and organization read the findings they need to know (issue 13 item 10): those behind the leads
referred to their body, and those on the problem lists of the rectification they oversee. Nothing else of the
county, and none of its attachments. Exact id sets on the policy, the list page, the API, each detail and each
download, before and after a feedback and a referral."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from findings import services
from findings.models import Attachment, Finding, FindingStatus
from inspection.accounts.models import ReceivingBody, Role
from inspection.core import access
from rectification.models import Feedback, ProblemItem, RectificationPlan
from referrals import services as referral_services
from referrals.models import Lead, LeadSource
from tests.factories import JurisdictionFactory, ReceivingBodyFactory

from .factories import PDF, FindingFactory, TeamUnitFactory, stored_attachment

APPROVED_AT = datetime.datetime(2026, 10, 20, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def approved(team_unit, title, **fields):
    return FindingFactory(
        team_unit=team_unit, title=title, status=FindingStatus.APPROVED, approved_at=APPROVED_AT, **fields
    )


def problem_list(team_unit, actor, *findings):
    """The feedback of a unit with its problem list, as `rectification.services.feedback_record` leaves it."""
    feedback = Feedback.objects.create(
        round=team_unit.round, unit=team_unit.unit, jurisdiction=team_unit.round.jurisdiction,
        held_on=datetime.date(2026, 11, 2), place="县财政局三楼会议室", attendees="局领导班子成员",
        letter_number="清巡反〔2026〕1号", plan_due_on=datetime.date(2026, 12, 2),
        report_due_on=datetime.date(2027, 1, 2), created_by=actor,
    )
    ProblemItem.objects.bulk_create(
        ProblemItem(feedback=feedback, finding=finding, position=n) for n, finding in enumerate(findings, start=1)
    )
    RectificationPlan.objects.create(feedback=feedback)
    return feedback


@pytest.fixture
def county(jurisdiction, make_user, office_user, team_unit, other_team_unit):
    """One round of 清河县: 财政局 (team_unit) and 教育局 (other_team_unit), and a third unit 住建局, each with
    approved findings; a draft; a finding of 柳林县 on its own problem list."""
    third = TeamUnitFactory(team__round=team_unit.round, unit__name="清河县住建局")
    bodies = {
        "discipline": ReceivingBodyFactory(jurisdiction=jurisdiction, kind=ReceivingBody.Kind.DISCIPLINE,
                                           name="清河县纪委监委"),
        "organization": ReceivingBodyFactory(jurisdiction=jurisdiction, kind=ReceivingBody.Kind.ORGANIZATION,
                                             name="中共清河县委组织部"),
    }
    users = {
        "discipline": make_user(Role.DISCIPLINE, username="jiwei", receiving_body=bodies["discipline"]),
        "organization": make_user(Role.ORGANIZATION, username="zuzhibu", receiving_body=bodies["organization"]),
    }
    findings = {
        # 财政局: a lead about a person goes to 纪委监委.
        "to_discipline": approved(team_unit, "违规发放津贴补贴"),
        # 教育局: a 选人用人 problem goes to 组织部; another approved finding of the unit is never referred.
        "to_organization": approved(other_team_unit, "违规提拔任用干部"),
        "unreferred": approved(other_team_unit, "三会一课制度落实不到位"),
        # 住建局: fed back, its approved finding is on the problem list; its draft is not.
        "listed": approved(third, "工程项目未经招标"),
        "draft": FindingFactory(team_unit=third, title="工程款支付审核不严"),
        # Referred, then overturned by the office (推翻, with a reason): no longer a problem of the county.
        "overturned": approved(team_unit, "公务用车私用"),
    }
    elsewhere_unit = TeamUnitFactory(team__round__jurisdiction=JurisdictionFactory(name="柳林县"))
    findings["elsewhere"] = approved(elsewhere_unit, "柳林县的问题")
    problem_list(elsewhere_unit, office_user, findings["elsewhere"])
    leads = {
        name: Lead.objects.create(
            jurisdiction=jurisdiction, round=team_unit.round, team=findings[name].team, unit=findings[name].unit,
            source=LeadSource.FINDING, finding=findings[name], subject_name=subject, subject_post="副局长",
            summary=f"{subject}涉嫌{findings[name].title}", created_by=office_user,
        )
        for name, subject in (("to_discipline", "张某"), ("to_organization", "李某"), ("overturned", "赵某"))
    }
    attachments = {name: stored_attachment(f, office_user, f"{f.title}凭证.pdf") for name, f in findings.items()}
    return {
        "third": third, "bodies": bodies, "users": users, "findings": findings, "leads": leads,
        "attachments": attachments, "office": office_user,
    }


def refer(county, body, *lead_names, send=True):
    referral = referral_services.batch_create(
        actor=county["office"], receiving_body=county["bodies"][body],
        letter_number=f"清巡办移〔2026〕{body}号", letter_date=datetime.date(2026, 11, 3),
        leads=[county["leads"][name] for name in lead_names],
    )
    if send:
        referral_services.batch_send(referral=referral, actor=county["office"])
    return referral


def names_to_ids(county, kind, names):
    return {county[kind][name].pk for name in names}


def assert_sees(client, county, who, names):
    """`who` sees exactly the findings `names` and their attachments, everywhere; every other one is a 404."""
    user = county["users"][who]
    finding_ids = names_to_ids(county, "findings", names)
    attachment_ids = names_to_ids(county, "attachments", names)
    assert set(access.visible(user, Finding).values_list("pk", flat=True)) == finding_ids
    assert set(access.visible(user, Attachment).values_list("pk", flat=True)) == attachment_ids

    client.force_login(user)
    page = client.get(reverse("findings:finding_list"))
    assert page.status_code == 200
    assert {f.pk for f in page.context["object_list"]} == finding_ids
    api = client.get("/api/findings/", {"page_size": 100})
    assert api.status_code == 200
    assert {row["id"] for row in api.json()["results"]} == finding_ids

    for name, finding in county["findings"].items():
        code = 200 if finding.pk in finding_ids else 404
        assert client.get(reverse("findings:finding_detail", args=[finding.pk])).status_code == code, (who, name)
        assert client.get(f"/api/findings/{finding.pk}/").status_code == code, (who, name)
        attachment = county["attachments"][name]
        download = client.get(reverse("findings:attachment_download", args=[attachment.pk]))
        assert download.status_code == code, (who, name)
        if code == 200:
            assert b"".join(download.streaming_content) == PDF
        assert client.get(f"/api/finding-attachments/{attachment.pk}/").status_code == code, (who, name)
        assert client.get(f"/api/finding-attachments/{attachment.pk}/download/").status_code == code, (who, name)


def test_before_any_feedback_or_referral_they_see_nothing(client, county):
    # Every finding of the county is approved but the receivers have no reason to read any of them yet.
    assert_sees(client, county, "discipline", set())
    assert_sees(client, county, "organization", set())


def test_the_problem_lists_they_oversee(client, county, team_unit):
    problem_list(county["third"], county["office"], county["findings"]["listed"])
    assert_sees(client, county, "discipline", {"listed"})
    assert_sees(client, county, "organization", {"listed"})


def test_a_referral_opens_its_findings_to_its_receiver_once_sent(client, county):
    problem_list(county["third"], county["office"], county["findings"]["listed"])
    batch = refer(county, "discipline", "to_discipline", send=False)
    # A batch still being drafted by the office gives the receiver nothing.
    assert_sees(client, county, "discipline", {"listed"})

    referral_services.batch_send(referral=batch, actor=county["office"])
    assert_sees(client, county, "discipline", {"listed", "to_discipline"})
    assert_sees(client, county, "organization", {"listed"})

    refer(county, "organization", "to_organization")
    assert_sees(client, county, "discipline", {"listed", "to_discipline"})
    assert_sees(client, county, "organization", {"listed", "to_organization"})


def test_a_finding_overturned_after_its_referral_leaves_the_receivers_view(client, county):
    refer(county, "discipline", "to_discipline", "overturned")
    assert_sees(client, county, "discipline", {"to_discipline", "overturned"})
    services.finding_transition(
        finding=county["findings"]["overturned"], actor=county["office"], verb="withdraw",
        reason="经复核，车辆使用符合规定，领导小组同意撤销",
    )
    assert_sees(client, county, "discipline", {"to_discipline"})
    # The lead itself stays with its receiver.
    assert access.can(county["users"]["discipline"], "view", county["leads"]["overturned"])


def test_receivers_only_read(county):
    refer(county, "discipline", "to_discipline")
    user, finding = county["users"]["discipline"], county["findings"]["to_discipline"]
    assert access.can(user, "view", finding)
    assert [a for a in ("change", "amend", "add_evidence", "withdraw") if access.can(user, a, finding)] == []


def test_with_no_reason_registered_they_read_nothing(county, monkeypatch):
    problem_list(county["third"], county["office"], county["findings"]["listed"])
    refer(county, "discipline", "to_discipline")
    monkeypatch.setattr(access, "_need_to_know", {})
    assert not access.visible(county["users"]["discipline"], Finding).exists()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_receivers_lists_cost_the_same_for_few_and_many_rows(client, county, team_unit):
    refer(county, "discipline", "to_discipline")
    client.force_login(county["users"]["discipline"])
    urls = (reverse("findings:finding_list"), "/api/findings/")
    few = [_queries(client, url) for url in urls]
    more = [approved(team_unit, f"违规发放津贴补贴{n}") for n in range(12)]
    problem_list(team_unit, county["office"], *more)
    assert len(access.visible(county["users"]["discipline"], Finding)) == 13
    assert [_queries(client, url) for url in urls] == few
