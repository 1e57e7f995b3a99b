from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("teams", views.TeamViewSet, basename="team")
router.register("team-units", views.TeamUnitViewSet, basename="team-unit")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("recusal-checks", views.RecusalCheckViewSet, basename="recusal-check")
router.register("announcements", views.AnnouncementViewSet, basename="announcement")
router.register("info-requests", views.InfoRequestViewSet, basename="info-request")
router.register("material-items", views.MaterialItemViewSet, basename="material-item")
router.register("default-material-items", views.DefaultMaterialItemViewSet, basename="default-material-item")
router.register("petitions", views.PetitionViewSet, basename="petition")
router.register("inquiries", views.InquiryViewSet, basename="inquiry")
router.register("interviews", views.InterviewViewSet, basename="interview")
router.register("cadre-evaluations", views.CadreEvaluationViewSet, basename="cadre-evaluation")

urlpatterns = router.urls
