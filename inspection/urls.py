from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from inspection.accounts.forms import AdminLoginForm
from inspection.core import health, metrics
from inspection.core.api_docs import RedocView, SwaggerView

# The superuser refusal of the production settings holds on the admin's own login page too.
admin.site.login_form = AdminLoginForm

api_patterns = [
    path("", include("inspection.units.api.urls")),
    path("", include("inspection.accounts.api.urls")),
    path("", include("inspection.exports.api_urls")),
    path("", include("rounds.api.urls")),
    path("", include("findings.api.urls")),
    path("", include("referrals.api.urls")),
    path("", include("rectification.api.urls")),
    path("", include("dashboard.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
]

urlpatterns = [
    path("", include("dashboard.urls")),
    path("accounts/", include("inspection.accounts.urls")),
    path("units/", include("inspection.units.urls")),
    path("files/", include("inspection.exports.urls")),
    path("audit/", include("inspection.audit.urls")),
    path("rounds/", include("rounds.urls")),
    path("findings/", include("findings.urls")),
    path("referrals/", include("referrals.urls")),
    path("rectification/", include("rectification.urls")),
    path("api/", include(api_patterns)),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)

# Chinese error pages in the site's layout; JSON under /api/ (inspection/core/errors.py).
handler400 = "inspection.core.errors.bad_request"
handler403 = "inspection.core.errors.permission_denied"
handler404 = "inspection.core.errors.page_not_found"
handler500 = "inspection.core.errors.server_error"
