from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("finding-categories", views.CategoryViewSet, basename="finding-category")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("finding-attachments", views.AttachmentViewSet, basename="finding-attachment")

urlpatterns = router.urls
