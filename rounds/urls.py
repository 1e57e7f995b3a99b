from django.urls import path

from . import views

app_name = "rounds"
urlpatterns = [
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", views.plan_edit, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("", views.RoundListView.as_view(), name="round_list"),
    path("new/", views.round_edit, name="round_create"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("<int:pk>/phase/", views.round_change_phase, name="round_change_phase"),
    path("<int:round_pk>/teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/members/", views.team_add_member, name="team_add_member"),
    path("teams/<int:pk>/units/", views.team_add_unit, name="team_add_unit"),
    path("teams/<int:pk>/evaluations/", views.team_evaluations, name="team_evaluations"),
    path("memberships/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
    path("memberships/<int:pk>/recusal/", views.recusal_application, name="recusal_application"),
    path("<int:round_pk>/recusal-checks/", views.recusal_check_list, name="recusal_check_list"),
    path("recusal-checks/<int:pk>/override/", views.recusal_check_override, name="recusal_check_override"),
    path("<int:round_pk>/preparation/", views.preparation, name="preparation"),
    path("<int:round_pk>/materials/apply-default/", views.material_apply_default, name="material_apply_default"),
    path("materials/<int:pk>/receive/", views.material_receive, name="material_receive"),
    path("materials/defaults/", views.material_defaults, name="material_defaults"),
    path("materials/defaults/<int:pk>/", views.material_defaults, name="material_default_edit"),
    path("<int:round_pk>/petitions/", views.petition_list, name="petition_list"),
    path("petitions/<int:pk>/", views.petition_detail, name="petition_detail"),
    path("<int:round_pk>/inquiries/", views.inquiry_list, name="inquiry_list"),
    path("inquiries/", views.inquiry_overview, name="inquiry_overview"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("<int:round_pk>/interviews/", views.interview_list, name="interview_list"),
    path("<int:round_pk>/<str:kind>/new/", views.record_edit, name="record_create"),
    path("records/<str:kind>/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("my-team/", views.my_team, name="my_team"),
]
