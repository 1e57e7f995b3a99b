from django.urls import path

from . import views

urlpatterns = [
    path("", views.figures, name="figures"),
    path("rollup/", views.rollup_page, name="rollup"),
    path("rollup/refresh/", views.rollup_refresh, name="rollup_refresh"),
    path("charts/<slug:name>.json", views.chart, name="chart"),
    path("todo/", views.todo_page, name="todo"),
    path("todo/count/", views.todo_badge, name="todo_count"),
    path("documents/", views.documents, name="documents"),
    path("ledgers/", views.ledger_index, name="ledgers"),
    path("ledgers/<slug:kind>.xlsx", views.ledger_export, name="ledger"),
    path("search/", views.search_page, name="search"),
    path("calendar/", views.calendar_page, name="calendar"),
]
