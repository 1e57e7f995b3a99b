"""The interactive API documentation, served under our Content-Security-Policy (`script-src 'self'`).

drf-spectacular's default Swagger page runs its set-up as an inline script, which the policy blocks (the page
stayed blank); the split view serves that script as a same-origin file. ReDoc's stock template loads Google
fonts (unreachable on an air-gapped network) and builds its search index in a worker started from a blob: URL,
which only this page's policy allows.
"""

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from .middleware import CONTENT_SECURITY_POLICY


class SwaggerView(SpectacularSwaggerSplitView):
    title = "巡察管理系统 API · 交互式文档"


class RedocView(SpectacularRedocView):
    title = "巡察管理系统 API · 接口说明"
    template_name = "api/redoc.html"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = f"{CONTENT_SECURITY_POLICY}; worker-src 'self' blob:"
        return response
