"""Excel ledgers: the list page's filters, the user's scope, secret rows read-logged, bounded memory."""

import io

import pytest
from openpyxl import load_workbook

from dashboard import ledgers
from findings.models import Finding
from inspection.accounts.models import Role
from inspection.audit.models import ReadLog
from rectification.models import Task
from referrals.models import Lead
from rounds.models import Petition

from .factories import build_world


def sheet_rows(response):
    body = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    return rows[0], rows[1:]


@pytest.fixture
def world(jurisdiction, other_jurisdiction):
    build_world(other_jurisdiction, seed=8, units=5)
    return build_world(jurisdiction, seed=12, units=8)


def test_findings_ledger_follows_the_list_filters(office_client, world):
    round_ = world.rounds[1]
    response = office_client.get("/dashboard/ledgers/findings.xlsx", {"round": round_.pk, "fixed_on_site": "true"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, rows = sheet_rows(response)
    assert header[:4] == ("编号", "轮次", "巡察组", "被巡察单位")
    expected = Finding.objects.filter(round=round_, fixed_on_site=True).order_by("pk")
    assert [r[0] for r in rows] == [f.pk for f in expected] and rows
    first = expected[0]
    assert rows[0][7] == first.category.name and rows[0][8] == first.title and rows[0][12] == "是"


def test_dashboard_scope_filters_apply_where_the_list_page_has_none(office_client, world):
    plan = world.plans[1]
    response = office_client.get("/dashboard/ledgers/findings.xlsx", {"plan": plan.pk, "unit_kind": "township"})
    _, rows = sheet_rows(response)
    expected = Finding.objects.filter(round__plan=plan, unit__kind="township").order_by("pk")
    assert [r[0] for r in rows] == [f.pk for f in expected]


def test_ledgers_cover_only_the_users_county(office_client, office_user, world):
    for kind, model, path in (("findings", Finding, "round__jurisdiction"), ("tasks", Task, "plan__feedback__jurisdiction"),
                              ("leads", Lead, "jurisdiction"), ("petitions", Petition, "round__jurisdiction")):
        _, rows = sheet_rows(office_client.get(f"/dashboard/ledgers/{kind}.xlsx"))
        expected = model.objects.filter(**{path: office_user.jurisdiction}).order_by("pk")
        assert [r[0] for r in rows] == [o.pk for o in expected] and rows, kind
        assert model.objects.exclude(**{path: office_user.jurisdiction}).exists(), kind


def test_secret_rows_exported_are_read_logged(office_client, office_user, world):
    _, rows = sheet_rows(office_client.get("/dashboard/ledgers/leads.xlsx"))
    logs = ReadLog.objects.filter(user=office_user, action=ReadLog.Action.EXPORT, object_type="referrals.lead")
    assert sorted(int(log.object_id) for log in logs) == sorted(r[0] for r in rows)
    lead = Lead.objects.get(pk=rows[0][0])
    assert logs.get(object_id=str(lead.pk)).object_repr == str(lead)
    sheet_rows(office_client.get("/dashboard/ledgers/petitions.xlsx"))
    assert ReadLog.objects.filter(object_type="rounds.petition", action="export").count() == Petition.objects.filter(
        round__jurisdiction=office_user.jurisdiction).count()
    sheet_rows(office_client.get("/dashboard/ledgers/findings.xlsx"))
    assert not ReadLog.objects.filter(object_type="findings.finding").exists()


def test_task_ledger_marks_overdue_tasks(office_client, world):
    _, rows = sheet_rows(office_client.get("/dashboard/ledgers/tasks.xlsx"))
    from django.utils import timezone

    today = timezone.localdate()
    tasks = {t.pk: t for t in Task.objects.all()}
    for row in rows:
        task = tasks[row[0]]
        assert row[-1] == ("是" if task.status != "closed" and task.deadline < today else "否")


def test_leads_ledger_is_not_found_for_roles_that_may_not_see_leads(client, make_user, world):
    client.force_login(make_user(Role.TEAM_LEADER))
    assert client.get("/dashboard/ledgers/leads.xlsx").status_code == 404
    client.force_login(make_user(Role.LEADING_GROUP))
    assert client.get("/dashboard/ledgers/leads.xlsx").status_code == 200
    page = client.get("/dashboard/ledgers/").content.decode()
    assert "/dashboard/ledgers/leads.xlsx" in page and "/dashboard/ledgers/findings.xlsx" in page


def test_a_bad_filter_is_refused(office_client, world):
    assert office_client.get("/dashboard/ledgers/findings.xlsx", {"round": "abc"}).status_code == 400


def test_rows_are_streamed_from_the_database_in_chunks(office_user, world, django_assert_max_num_queries, rf):
    """The rows come from a server-side iterator in chunks: the queryset is never cached whole."""
    ledger = ledgers.LEDGERS["leads"]
    queryset = ledgers.ledger_queryset(ledger, office_user, None, {})
    ledgers_chunk = ledgers.CHUNK
    try:
        ledgers.CHUNK = 3
        rows = ledgers.ledger_rows(ledger, queryset, user=office_user)
        first = next(rows)
        assert ReadLog.objects.count() == 3  # only the first chunk has been read (and logged) so far
        rest = list(rows)
    finally:
        ledgers.CHUNK = ledgers_chunk
    assert 1 + len(rest) == queryset.count() > 3 and first[0] == queryset.first().pk


def test_ledger_page_forms_submit_the_list_filters(office_client, world):
    page = office_client.get("/dashboard/ledgers/").content.decode()
    assert 'id="tasks-unit"' in page and 'id="findings-fixed_on_site"' in page
    # Findings and tasks lists have their own plan / round filters, so the ledger adds no scope field of its own.
    assert 'id="findings-plan"' in page and 'id="findings-scope-plan"' not in page
    assert 'id="tasks-scope-round"' not in page
    empty = {"round": "", "unit": "", "status": "", "kind": "", "overdue": "", "plan": "", "year": "", "unit_kind": ""}
    _, all_rows = sheet_rows(office_client.get("/dashboard/ledgers/tasks.xlsx"))
    _, submitted = sheet_rows(office_client.get("/dashboard/ledgers/tasks.xlsx", empty))
    assert submitted == all_rows and all_rows
    _, overdue = sheet_rows(office_client.get("/dashboard/ledgers/tasks.xlsx", {**empty, "overdue": "true"}))
    assert {r[0] for r in overdue} == {r[0] for r in all_rows if r[-1] == "是"}
