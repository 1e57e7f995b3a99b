from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("documents", api.DocumentViewSet, basename="document")

urlpatterns = router.urls
