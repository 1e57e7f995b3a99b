from django.urls import include, path

from . import views

# `home` stays un-namespaced (base.html links to it); the statistics pages live under the "dashboard" namespace.
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", include(("dashboard.figure_urls", "dashboard"))),
]
