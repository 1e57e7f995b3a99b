"""The admin site in Chinese: third-party apps (django-axes, django-otp) name their apps and models in English,
and changing their models' Meta would make migrations in their packages, so the admin renames them here."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

APP_NAMES = {
    "axes": "登录失败与锁定",
    "otp_static": "二次验证：恢复码",
    "otp_totp": "二次验证：身份验证器",
    "authtoken": "接口令牌",
    "django_celery_beat": "定时任务",
}
MODEL_NAMES = {
    ("axes", "accessattempt"): "登录失败尝试",
    ("axes", "accessfailurelog"): "登录失败日志",
    ("axes", "accesslog"): "登录日志",
    ("otp_static", "staticdevice"): "恢复码设备",
    ("otp_totp", "totpdevice"): "身份验证器",
}


class XunchaAdminSite(admin.AdminSite):
    site_header = "巡察管理系统 · 后台管理"
    site_title = "巡察管理系统"
    index_title = "后台管理（日常账号管理请用系统内“账号管理”）"

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            app["name"] = APP_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                model["name"] = MODEL_NAMES.get((app["app_label"], model["object_name"].lower()), model["name"])
        return app_list


class XunchaAdminConfig(AdminConfig):
    default_site = "inspection.core.admin_site.XunchaAdminSite"
