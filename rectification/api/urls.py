from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("rectification/feedbacks", views.FeedbackViewSet, basename="rectification-feedback")
router.register("rectification/plans", views.PlanViewSet, basename="rectification-plan")
router.register("rectification/tasks", views.TaskViewSet, basename="rectification-task")
router.register("rectification/reports", views.ReportViewSet, basename="rectification-report")
router.register("rectification/disclosures", views.DisclosureViewSet, basename="rectification-disclosure")
router.register("rectification/progress", views.ProgressViewSet, basename="rectification-progress")
router.register("rectification/evaluations", views.EvaluationViewSet, basename="rectification-evaluation")
router.register("rectification/lookback-checks", views.LookbackCheckViewSet, basename="rectification-lookback-check")
router.register("rectification/figures", views.FiguresViewSet, basename="rectification-figures")

urlpatterns = router.urls
