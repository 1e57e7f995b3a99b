from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("leads/", views.LeadListView.as_view(), name="lead_list"),
    path("leads/new/", views.LeadCreateView.as_view(), name="lead_create"),
    path("leads/<int:pk>/", views.LeadDetailView.as_view(), name="lead_detail"),
    path("leads/<int:pk>/dispose/", views.LeadDisposeView.as_view(), name="lead_dispose"),
    path("leads/<int:pk>/results/", views.LeadResultsView.as_view(), name="lead_results"),
    path("leads/<int:pk>/withdraw/", views.LeadWithdrawView.as_view(), name="lead_withdraw"),
    path("referred/", views.ReferredLeadsView.as_view(), name="referred"),
    path("batches/", views.BatchListView.as_view(), name="batch_list"),
    path("batches/new/", views.BatchCreateView.as_view(), name="batch_create"),
    path("batches/<int:pk>/", views.BatchDetailView.as_view(), name="batch_detail"),
    path("batches/<int:pk>/send/", views.BatchSendView.as_view(), name="batch_send"),
    path("batches/<int:pk>/sign/", views.BatchSignView.as_view(), name="batch_sign"),
    path("batches/<int:pk>/render/", views.BatchRenderView.as_view(), name="batch_render"),
    path("batches/<int:pk>/letter.pdf", views.BatchLetterView.as_view(), name="batch_letter"),
    path("workspace/", views.WorkspaceView.as_view(), name="workspace"),
    path("read-log/", views.ReadLogView.as_view(), name="read_log"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
]
