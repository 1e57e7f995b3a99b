"""Error answers in Chinese: the site's error pages (400, 403, 404, 500, a refused CSRF check) and, under
/api/, JSON with a Chinese `detail`, so an integrating client never parses an HTML page."""

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

API_PREFIX = "/api/"

API_DETAIL = {
    400: "请求无效：请求的格式或参数不正确",
    403: "您无权执行此操作",
    404: "未找到该记录，或您无权查看",
    500: "系统内部错误，操作可能未完成，请稍后重试；如反复出现，请联系系统管理员",
}


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _api_error(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception):
    if _is_api(request):
        return _api_error(API_DETAIL[400], 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return _api_error(str(exception) or API_DETAIL[403], 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return _api_error(API_DETAIL[404], 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return _api_error(API_DETAIL[500], 500)
    return defaults.server_error(request)


# Why a CSRF check failed, in the words of the person who met it. Django's reasons are English constants
# meant for developers; these say what to do.
CSRF_REASONS = {
    "CSRF cookie not set": "浏览器未保存本系统的安全凭据（Cookie），请允许本站使用 Cookie。",
    "CSRF token missing": "提交中缺少安全校验码。",
    "CSRF token from": "安全校验码已失效（可能在其他窗口重新登录过）。",
    "Referer checking failed - no Referer": "浏览器未发送来源页面信息（Referer）。",
    "Origin checking failed": "提交来自本系统以外的页面。",
    "Referer checking failed": "提交来自本系统以外的页面。",
}


def csrf_reason_label(reason: str) -> str:
    for english, chinese in CSRF_REASONS.items():
        if reason.startswith(english):
            return chinese
    return "安全校验未通过。"


def csrf_failure(request, reason="", template_name="403_csrf.html"):
    """CSRF_FAILURE_VIEW: the site's Chinese page instead of Django's English one."""
    label = csrf_reason_label(reason)
    if _is_api(request):
        return _api_error(f"安全校验（CSRF）未通过：{label}请刷新页面后重试。", 403)
    return HttpResponse(render_to_string(template_name, {"reason": label}, request=request), status=403)
