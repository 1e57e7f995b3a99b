from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("download/<int:pk>/", views.generated_file_download, name="download"),
    path("<str:kind>/<int:object_id>/", views.generated_file_panel, name="panel"),
    path("<str:kind>/<int:object_id>/request/", views.generated_file_request, name="request"),
]
