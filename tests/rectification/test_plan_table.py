"""Issue 16 item 4: the unit plans with the facts in view. The problem list, the task form and the API show each
problem's facts and basis as fed back (the finding's own page stays closed to the liaison); all tasks of a plan are
entered in one table, or in the problem list's Excel template uploaded back: every bad row named with its number
and reason, nothing stored unless every row passes."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from rectification.models import PlanStatus, Task, TaskKind
from rectification.task_excel import HEADERS
from tests.rounds.concurrency import api_as

from .factories import FindingFactory, TaskFactory, make_feedback

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LATER = (TODAY + timedelta(days=60)).isoformat()
FACTS = "2025年该局违规发放节日福利3.6万元，涉及干部职工48人。"
BASIS = "《中国共产党纪律处分条例》第一百零六条"


@pytest.fixture
def liaison(make_user):
    return make_user("unit_liaison")


@pytest.fixture
def planning(jurisdiction, liaison):
    """A unit fed back with three problems, one with a task already, plan still being drafted."""
    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, findings=3)
    findings[0].facts, findings[0].basis = FACTS, BASIS
    findings[0].save()
    task = TaskFactory(plan=plan, finding=findings[1])
    return feedback, plan, findings, task


@pytest.fixture
def other_liaison(make_user):
    return make_user("unit_liaison")


def test_the_liaison_sees_facts_and_basis_on_the_problem_list_but_not_the_finding(client, liaison, planning):
    feedback, plan, findings, _ = planning
    client.force_login(liaison)
    page = client.get(reverse("rectification:feedback_detail", args=[feedback.pk])).content.decode()
    assert FACTS in page and BASIS in page
    assert client.get(reverse("findings:finding_detail", args=[findings[0].pk])).status_code == 404
    form = client.get(reverse("rectification:task_create", args=[plan.pk]) + f"?finding={findings[0].pk}")
    assert FACTS in form.content.decode() and form.context["chosen"] == str(findings[0].pk)

    problems = api_as(liaison).get(f"/api/rectification/feedbacks/{feedback.pk}/problems/")
    assert problems.status_code == 200
    first = problems.json()[0]
    assert (first["finding"], first["facts"], first["basis"]) == (findings[0].pk, FACTS, BASIS)
    assert "persons_involved" not in first and [row["tasks"] for row in problems.json()][1] == [planning[3].pk]
    task = api_as(liaison).get(f"/api/rectification/tasks/{planning[3].pk}/").json()
    assert task["finding_facts"] == findings[1].facts and task["finding_basis"] == findings[1].basis
    assert api_as(liaison).get(f"/api/findings/{findings[0].pk}/").status_code in (403, 404)


def test_a_liaison_of_another_unit_reaches_none_of_it(client, other_liaison, planning):
    feedback, plan, _, _ = planning
    client.force_login(other_liaison)
    for name in ("plan_tasks", "plan_template", "plan_upload"):
        assert client.get(reverse(f"rectification:{name}", args=[plan.pk])).status_code == 404, name
    upload = client.post(reverse("rectification:plan_upload", args=[plan.pk]), {"file": _xlsx([])})
    assert upload.status_code == 404
    assert api_as(other_liaison).get(f"/api/rectification/feedbacks/{feedback.pk}/problems/").status_code == 404
    assert Task.objects.count() == 1


def test_the_office_reads_the_table_but_does_not_write_the_units_tasks(client, office_user, planning):
    client.force_login(office_user)
    assert client.get(reverse("rectification:plan_tasks", args=[planning[1].pk])).status_code == 403


def _table_post(formset_rows):
    data = {"tasks-TOTAL_FORMS": str(len(formset_rows)), "tasks-INITIAL_FORMS": str(len(formset_rows)),
            "tasks-MIN_NUM_FORMS": "0", "tasks-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(formset_rows):
        for name, value in row.items():
            data[f"tasks-{index}-{name}"] = value
    return data


def _row(finding, task=None, **values):
    row = {"finding_id": finding.pk, "task_id": task.pk if task else "", "measures": "", "responsible_leader": "",
           "responsible_department": "", "deadline": "", "kind": ""}
    row.update(values)
    return row


FILLED = {"measures": "清退违规发放的福利，修订福利发放管理办法", "responsible_leader": "李局长",
          "responsible_department": "办公室", "deadline": LATER, "kind": TaskKind.TIME_LIMITED}


def test_the_table_shows_one_line_per_task_or_problem_and_stores_all_in_one_go(client, liaison, planning):
    feedback, plan, findings, task = planning
    client.force_login(liaison)
    page = client.get(reverse("rectification:plan_tasks", args=[plan.pk]))
    assert [line["form"].initial.get("task_id") for line in page.context["lines"]] == [None, task.pk, None]
    assert FACTS in page.content.decode() and BASIS in page.content.decode()

    response = client.post(reverse("rectification:plan_tasks", args=[plan.pk]), _table_post([
        _row(findings[0], **FILLED),
        _row(findings[1], task, **{**FILLED, "measures": "修订后的措施", "responsible_department": "财务股"}),
        _row(findings[2], **{**FILLED, "kind": TaskKind.LONG_TERM}),
    ]))

    assert response.status_code == 302
    assert sorted(Task.objects.values_list("finding_id", "measures", "responsible_department")) == sorted([
        (findings[0].pk, FILLED["measures"], "办公室"), (findings[1].pk, "修订后的措施", "财务股"),
        (findings[2].pk, FILLED["measures"], "办公室"),
    ])


def test_one_bad_line_stores_nothing_and_is_named(client, liaison, planning):
    feedback, plan, findings, task = planning
    client.force_login(liaison)
    response = client.post(reverse("rectification:plan_tasks", args=[plan.pk]), _table_post([
        _row(findings[0], **FILLED),
        _row(findings[1], task, **{**FILLED, "measures": "修订后的措施"}),
        _row(findings[2], **{**FILLED, "responsible_leader": "", "deadline": (feedback.held_on - timedelta(days=1)).isoformat()}),
    ]))
    assert response.status_code == 200
    assert response.context["refused"] == "有 1 行未通过校验，整改任务均未保存，请修改后重新提交"
    assert response.context["formset"].forms[2].non_field_errors() == ["请填写责任领导"]
    assert "第 3 行：请填写责任领导" in response.content.decode()
    # Nothing half-stored: the first line's task was not added, the second's not changed.
    assert list(Task.objects.values_list("pk", "measures")) == [(task.pk, task.measures)]
    # What the user typed is kept.
    assert response.context["formset"].forms[0]["measures"].value() == FILLED["measures"]


def test_the_table_is_closed_once_the_plan_is_submitted(client, liaison, jurisdiction):
    _, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, findings=1,
                                      plan_status=PlanStatus.SUBMITTED)
    client.force_login(liaison)
    response = client.post(reverse("rectification:plan_tasks", args=[plan.pk]), _table_post([_row(findings[0], **FILLED)]))
    assert response.status_code == 200
    assert response.context["formset"].forms[0].non_field_errors() == ["整改方案已报送，不能再增加整改任务"]
    assert not Task.objects.exists()


def _template(client, plan):
    response = client.get(reverse("rectification:plan_template", args=[plan.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    handle = io.BytesIO()
    workbook.save(handle)
    return SimpleUploadedFile("整改任务表.xlsx", handle.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_the_template_lists_the_problems_with_facts_formula_safe(client, liaison, planning):
    feedback, plan, findings, task = planning
    findings[2].title = "=HYPERLINK(\"http://x\",\"点我\")"
    findings[2].save()
    client.force_login(liaison)
    sheet = _template(client, plan).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert [(r[1], r[2]) for r in rows[1:]] == [(findings[0].pk, None), (findings[1].pk, task.pk), (findings[2].pk, None)]
    assert rows[1][4] == FACTS and rows[1][5] == BASIS
    assert rows[2][6] == task.measures and rows[2][10] == "限期整改"
    cell = sheet.cell(row=4, column=4)
    assert cell.value == findings[2].title and cell.data_type == "s"  # text, never a formula


def test_the_filled_template_uploads_back(client, liaison, planning):
    feedback, plan, findings, task = planning
    client.force_login(liaison)
    rows = [list(r) for r in _template(client, plan).worksheets[0].iter_rows(min_row=2, values_only=True)]
    rows[0][6:11] = ["清退福利3.6万元", "李局长", "办公室", LATER, "立行立改"]
    rows[0][9] = (feedback.held_on + timedelta(days=10)).isoformat()
    rows[2][6:11] = ["建立长效机制", "王书记", "党建办", LATER, "长期坚持"]
    rows.append([None, findings[0].pk, None, None, None, None, "第二项措施：约谈相关人员", "李局长", "纪检组", LATER, "限期整改"])

    response = client.post(reverse("rectification:plan_upload", args=[plan.pk]), {"file": _xlsx(rows)})

    assert response.status_code == 302, response.context and response.context["row_errors"]
    assert sorted(Task.objects.values_list("finding_id", "kind")) == sorted([
        (findings[0].pk, TaskKind.IMMEDIATE), (findings[0].pk, TaskKind.TIME_LIMITED), (findings[1].pk, task.kind),
        (findings[2].pk, TaskKind.LONG_TERM),
    ])


def test_an_upload_with_three_bad_rows_stores_nothing_and_names_each(client, liaison, planning, jurisdiction):
    feedback, plan, findings, task = planning
    stranger = FindingFactory(team=feedback.round.teams.first())
    client.force_login(liaison)
    good = [None, findings[0].pk, None, None, None, None, "清退福利", "李局长", "办公室", LATER, "限期整改"]
    rows = [
        good,
        [None, findings[2].pk, None, None, None, None, "建立机制", "王书记", "党建办", "下个月", "限期整改"],
        [None, stranger.pk, None, None, None, None, "整改", "王书记", "党建办", LATER, "限期整改"],
        [None, findings[1].pk, task.pk, None, None, None, "修改措施", "", "办公室", LATER, "马上改"],
    ]

    response = client.post(reverse("rectification:plan_upload", args=[plan.pk]), {"file": _xlsx(rows)})

    assert response.status_code == 200
    assert response.context["row_errors"] == [
        (3, "整改时限“下个月”不是有效日期，请写成 2026-12-31 的格式"),
        (4, "该问题不在本单位的问题清单中"),
        (5, "整改类型“马上改”无效，请填写立行立改、限期整改、长期坚持之一"),
    ]
    text = response.content.decode()
    assert "第 3 行：整改时限“下个月”不是有效日期" in text and "第 4 行：该问题不在本单位的问题清单中" in text
    assert "以下 3 行未通过校验" in text
    assert list(Task.objects.values_list("pk", "measures")) == [(task.pk, task.measures)]


def test_a_file_that_is_not_the_template_is_a_form_error(client, liaison, planning):
    client.force_login(liaison)
    plan = planning[1]
    response = client.post(reverse("rectification:plan_upload", args=[plan.pk]), {
        "file": SimpleUploadedFile("任务.xlsx", b"not a workbook")})
    assert response.context["form"].errors == {"file": ["文件无法读取：请上传 .xlsx 格式的 Excel 文件"]}
    response = client.post(reverse("rectification:plan_upload", args=[plan.pk]), {"file": _xlsx([], headers=["序号"])})
    assert response.context["form"].errors["file"][0].startswith("缺少列：问题编号")
    response = client.post(reverse("rectification:plan_upload", args=[plan.pk]), {"file": _xlsx([])})
    assert response.context["form"].errors == {"__all__": ["没有需要保存的整改任务：请至少填写一行"]}
    assert Task.objects.count() == 1


@pytest.mark.parametrize("name", ["plan_tasks", "plan_template", "feedback_detail"])
def test_the_new_pages_run_a_constant_number_of_queries(client, liaison, jurisdiction, name,
                                                        django_assert_max_num_queries):
    client.force_login(liaison)

    def url(feedback, plan):
        return reverse(f"rectification:{name}", args=[feedback.pk if name == "feedback_detail" else plan.pk])

    feedback, plan, findings = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, findings=2)
    with django_assert_max_num_queries(60) as few:
        response = client.get(url(feedback, plan))
        if name == "plan_template":
            b"".join(response.streaming_content)
    bigger, big_plan, many = make_feedback(jurisdiction=jurisdiction, unit=liaison.unit, findings=25)
    for finding in many[:10]:
        TaskFactory(plan=big_plan, finding=finding)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(bigger, big_plan))
        if name == "plan_template":
            b"".join(response.streaming_content)


def test_the_api_saves_the_whole_table_or_names_each_bad_row(liaison, other_liaison, planning):
    feedback, plan, findings, task = planning
    url = f"/api/rectification/plans/{plan.pk}/tasks/"
    good = {"finding": findings[0].pk, **FILLED}
    bad = {"finding": findings[2].pk, **FILLED, "responsible_department": ""}
    response = api_as(liaison).post(url, {"rows": [good, {"finding": findings[1].pk, "task": task.pk, **FILLED}, bad]},
                                    format="json")
    assert response.status_code == 400
    assert response.json() == {"rows": ["第 3 行：请填写责任部门"]}
    assert list(Task.objects.values_list("pk", "measures")) == [(task.pk, task.measures)]

    response = api_as(liaison).post(url, {"rows": [good, {**bad, "responsible_department": "党建办"}]}, format="json")
    assert response.status_code == 200
    assert sorted(row["finding"] for row in response.json()) == [findings[0].pk, findings[2].pk]
    assert Task.objects.count() == 3
    assert api_as(other_liaison).post(url, {"rows": [good]}, format="json").status_code == 404
