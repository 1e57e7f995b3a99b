from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.UnitListView.as_view(), name="unit_list"),
    path("autocomplete/", views.unit_autocomplete, name="unit_autocomplete"),
    path("new/", views.UnitCreateView.as_view(), name="unit_create"),
    path("export/", views.UnitExportView.as_view(), name="unit_export"),
    path("import/", views.ImportView.as_view(kind="units"), name="unit_import"),
    path("import/template/", views.ImportTemplateView.as_view(kind="units"), name="units_import_template"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit_update"),
    path("<int:pk>/retire/", views.UnitActiveView.as_view(retire=True), name="unit_retire"),
    path("<int:pk>/restore/", views.UnitActiveView.as_view(retire=False), name="unit_restore"),
    path("cadres/", views.CadreListView.as_view(), name="cadre_list"),
    path("cadres/new/", views.CadreCreateView.as_view(), name="cadre_create"),
    path("cadres/export/", views.CadreExportView.as_view(), name="cadre_export"),
    path("cadres/import/", views.ImportView.as_view(kind="cadres"), name="cadre_import"),
    path("cadres/import/template/", views.ImportTemplateView.as_view(kind="cadres"), name="cadres_import_template"),
    path("cadres/<int:pk>/", views.CadreDetailView.as_view(), name="cadre_detail"),
    path("cadres/<int:pk>/edit/", views.CadreUpdateView.as_view(), name="cadre_update"),
    path("cadres/<int:pk>/retire/", views.CadreActiveView.as_view(retire=True), name="cadre_retire"),
    path("cadres/<int:pk>/restore/", views.CadreActiveView.as_view(retire=False), name="cadre_restore"),
    path("recusal-factors/<int:pk>/retire/", views.RecusalFactorRetireView.as_view(), name="recusal_factor_retire"),
]
