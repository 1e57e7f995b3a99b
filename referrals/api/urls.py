from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("referrals/leads", views.LeadViewSet, basename="referral-lead")
router.register("referrals/batches", views.ReferralViewSet, basename="referral-batch")
router.register("referrals/dispositions", views.DispositionViewSet, basename="referral-disposition")
router.register("referrals/results", views.ResultViewSet, basename="referral-result")
router.register("referrals/statistics", views.StatisticsViewSet, basename="referral-statistics")

urlpatterns = router.urls
