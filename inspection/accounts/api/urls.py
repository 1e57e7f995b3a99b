from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("jurisdictions", views.JurisdictionViewSet, basename="jurisdiction")
router.register("receiving-bodies", views.ReceivingBodyViewSet, basename="receiving-body")
router.register("users", views.UserViewSet, basename="user")

urlpatterns = router.urls
