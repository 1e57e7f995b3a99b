"""status_label is the Chinese label in every API answer that has one (issue 13 item 9): the text, e.g. "草稿",
never a repr of a bound method or a partial.

Every serializer of the project that declares `status_label` is found (the subclasses of DRF's BaseSerializer);
each must be listed in COVERED with the endpoint that answers with it, so a new one cannot slip by."""

import datetime

import pytest
from django.urls import get_resolver
from rest_framework.serializers import BaseSerializer

from findings.models import FindingStatus
from inspection.exports.models import GeneratedFile
from referrals import services as referral_services
from referrals.models import LeadStatus, ReferralStatus
from tests.factories import ReceivingBodyFactory
from tests.findings.factories import FindingFactory, TeamUnitFactory
from tests.referrals.factories import LeadFactory

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)

FINDING_LABELS = {
    FindingStatus.DRAFT: "草稿",
    FindingStatus.SUBMITTED: "待组长审核",
    FindingStatus.LEADER_APPROVED: "组长已审核",
    FindingStatus.OFFICE_REVIEWED: "巡察办已审核",
    FindingStatus.APPROVED: "领导小组已审定",
    FindingStatus.RETURNED: "已退回",
    FindingStatus.WITHDRAWN: "已撤回",
}
LEAD_LABELS = {LeadStatus.REGISTERED: "已登记", LeadStatus.REFERRED: "已移交"}
REFERRAL_LABELS = {ReferralStatus.DRAFT: "待发送", ReferralStatus.SENT: "已发送待签收"}

# serializer -> (records made by the `records` fixture, list URL, whether the detail URL answers with it too)
COVERED = {
    "findings.api.serializers.FindingListSerializer": ("findings", "/api/findings/", "list"),
    "findings.api.serializers.FindingDetailSerializer": ("findings", "/api/findings/", "detail"),
    "referrals.api.serializers.LeadSerializer": ("leads", "/api/referrals/leads/", "both"),
    "referrals.api.serializers.ReferralSerializer": ("referrals", "/api/referrals/batches/", "both"),
    "inspection.exports.api.GeneratedFileSerializer": ("documents", "/api/documents/", "detail"),
}


# The project's own packages (import-linter's root_packages).
PROJECT_PACKAGES = {"inspection", "rounds", "findings", "referrals", "rectification", "dashboard"}


def serializers_with_status_label() -> dict[str, type]:
    """Every serializer class of the project declaring `status_label`, wherever it is defined: loading the URLconf
    imports every view, hence every serializer an endpoint answers with."""
    get_resolver().url_patterns  # noqa: B018 - imports the views
    found, pending = {}, [BaseSerializer]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_PACKAGES and "status_label" in getattr(cls, "_declared_fields", {}):
            found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


def test_every_serializer_with_a_status_label_is_covered():
    assert set(serializers_with_status_label()) == set(COVERED)


@pytest.fixture
def records(jurisdiction, office_user):
    team_unit = TeamUnitFactory(team__round__jurisdiction=jurisdiction)
    findings = {
        FindingFactory(
            team_unit=team_unit, status=status, approved_at=NOW if status == FindingStatus.APPROVED else None,
            withdrawn_at=NOW if status == FindingStatus.WITHDRAWN else None,
        ).pk: label
        for status, label in FINDING_LABELS.items()
    }
    body = ReceivingBodyFactory(jurisdiction=jurisdiction, name="清河县纪委监委")
    registered = LeadFactory(round=team_unit.round, created_by=office_user)
    referred = LeadFactory(round=team_unit.round, created_by=office_user)
    draft_batch, sent_batch = (
        referral_services.batch_create(
            actor=office_user, receiving_body=body, letter_number=f"清巡办移〔2026〕{n}号",
            letter_date=datetime.date(2026, 11, 3), leads=[lead],
        )
        for n, lead in ((1, LeadFactory(round=team_unit.round, created_by=office_user)), (2, referred))
    )
    referral_services.batch_send(referral=sent_batch, actor=office_user)
    # The lead of the draft batch is still 已登记: three leads, two labels.
    leads = {registered.pk: LEAD_LABELS["registered"], draft_batch.leads.get().pk: LEAD_LABELS["registered"],
             referred.pk: LEAD_LABELS["referred"]}
    referrals = {draft_batch.pk: REFERRAL_LABELS["draft"], sent_batch.pk: REFERRAL_LABELS["sent"]}
    documents = {
        GeneratedFile.objects.create(
            kind="dashboard.inspection_report", title="巡察报告", object_type="rounds.teamunit",
            object_id=str(team_unit.pk), version=version, status=status, created_by=office_user,
            finished_at=NOW if status != GeneratedFile.Status.QUEUED else None,
        ).pk: label
        for version, (status, label) in enumerate(
            ((GeneratedFile.Status.QUEUED, "排队中"), (GeneratedFile.Status.DONE, "已完成"),
             (GeneratedFile.Status.FAILED, "失败")), start=1)
    }
    return {"findings": findings, "leads": leads, "referrals": referrals, "documents": documents}


@pytest.mark.parametrize("dotted", sorted(COVERED))
def test_status_label_is_the_chinese_text(client, office_user, records, dotted):
    kind, url, where = COVERED[dotted]
    fields = set(serializers_with_status_label()[dotted]().fields)
    expected = records[kind]
    client.force_login(office_user)
    if where in ("list", "both"):
        rows = client.get(url, {"page_size": 100}).json()["results"]
        assert {set(row) == fields for row in rows} == {True}, "the list does not answer with this serializer"
        assert {row["id"]: row["status_label"] for row in rows} == expected
    if where in ("detail", "both"):
        for pk, label in expected.items():
            row = client.get(f"{url}{pk}/").json()
            assert set(row) == fields, "the detail does not answer with this serializer"
            assert row["status_label"] == label
