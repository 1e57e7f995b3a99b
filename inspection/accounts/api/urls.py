from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("jurisdictions", views.JurisdictionViewSet, basename="jurisdiction")
router.register("receiving-bodies", views.ReceivingBodyViewSet, basename="receiving-body")
router.register("users", views.UserViewSet, basename="user")

urlpatterns = router.urls
