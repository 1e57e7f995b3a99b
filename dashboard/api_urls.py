from django.urls import path

from .api import views

urlpatterns = [
    path("dashboard/figures/", views.FiguresView.as_view(), name="api-dashboard-figures"),
    path("todo/", views.TodoView.as_view(), name="api-todo"),
    path("dashboard/rollup/", views.RollupView.as_view(), name="api-dashboard-rollup"),
]
