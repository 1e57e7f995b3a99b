from django.urls import path

from . import task_pages, views

app_name = "rectification"
urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("my-unit/", views.MyUnitView.as_view(), name="my_unit"),
    path("feedback/new/", views.feedback_create, name="feedback_create"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path(
        "feedback/<int:feedback_pk>/problems/<int:finding_pk>/add/", views.problem_item_add, name="problem_item_add"
    ),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/transition/", views.plan_transition, name="plan_transition"),
    path("plans/<int:plan_pk>/tasks/new/", views.task_create, name="task_create"),
    path("plans/<int:plan_pk>/tasks/table/", task_pages.plan_tasks, name="plan_tasks"),
    path("plans/<int:plan_pk>/tasks/template/", task_pages.plan_template, name="plan_template"),
    path("plans/<int:plan_pk>/tasks/upload/", task_pages.plan_upload, name="plan_upload"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/batch-close/", task_pages.tasks_batch_close, name="tasks_batch_close"),
    path("tasks/<int:pk>/close/", task_pages.task_close, name="task_close"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/transition/", views.task_transition, name="task_transition"),
    path("tasks/<int:pk>/reopen/", views.task_reopen, name="task_reopen"),
    path("tasks/<int:task_pk>/progress/new/", views.progress_create, name="progress_create"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("feedback/<int:feedback_pk>/report/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/transition/", views.report_transition, name="report_transition"),
    path("report-attachments/<int:pk>/", views.report_attachment_download, name="report_attachment_download"),
    path("feedback/<int:feedback_pk>/disclosure/", views.disclosure_edit, name="disclosure_edit"),
    path("disclosures/<int:pk>/unpublish/", views.disclosure_unpublish, name="disclosure_unpublish"),
    path("public/<int:pk>/", views.public_disclosure, name="public_disclosure"),
    path("feedback/<int:feedback_pk>/evaluation/", views.evaluation_edit, name="evaluation_edit"),
    path("evaluation-weights/", views.weights_edit, name="weights_edit"),
    path("lookback/", views.lookback_list, name="lookback_list"),
    path("lookback/<int:pk>/", views.lookback_detail, name="lookback_detail"),
    path("lookback/<int:pk>/tasks/<int:task_pk>/check/", views.lookback_check, name="lookback_check"),
]
