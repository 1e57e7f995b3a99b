from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("cadres", views.CadreViewSet, basename="cadre")
router.register("recusal-factors", views.RecusalFactorViewSet, basename="recusal-factor")

urlpatterns = router.urls
