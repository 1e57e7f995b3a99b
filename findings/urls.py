from django.urls import path

from . import views

app_name = "findings"
urlpatterns = [
    path("", views.FindingListView.as_view(), name="finding_list"),
    path("filter-options/rounds/", views.filter_options, {"name": "round"}, name="round_options"),
    path("filter-options/teams/", views.filter_options, {"name": "team"}, name="team_options"),
    path("new/", views.finding_create, name="finding_create"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("batch/approve/", views.batch_approve, name="batch_approve"),
    path("batch/office-review/", views.batch_office_review, name="batch_office_review"),
    path("<int:pk>/", views.finding_detail, name="finding_detail"),
    path("<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path("<int:pk>/transition/", views.finding_transition, name="finding_transition"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/hearings/", views.hearing_add, name="hearing_add"),
    path("<int:pk>/opinions/", views.opinion_add, name="opinion_add"),
    path("attachments/<int:pk>/download/", views.attachment_download, name="attachment_download"),
    path("report/<int:round_id>/<int:unit_id>/", views.unit_report, name="unit_report"),
    path("categories/", views.category_list, name="category_list"),
    path("categories/new/", views.category_create, name="category_create"),
    path("categories/export/", views.category_export, name="category_export"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
]
