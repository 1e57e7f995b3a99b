from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("security-policy/", views.security_policy, name="security_policy"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_mark_read, name="notifications_read"),
    path("notifications/<int:pk>/read/", views.notification_mark_one_read, name="notification_read"),
    path("2fa/setup/", views.two_factor_setup, name="2fa_setup"),
    path("2fa/verify/", views.two_factor_verify, name="2fa_verify"),
    path("2fa/recovery-codes/", views.recovery_codes_regenerate, name="2fa_recovery_codes"),
    # 账号管理 (系统管理员)
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("users/<int:pk>/reset-2fa/", views.user_reset_two_factor, name="user_reset_2fa"),
    path("users/<int:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/grant/", views.grant_request, name="grant_request"),
    path("units/autocomplete/", views.unit_autocomplete, name="unit_autocomplete"),
    path("cadres/autocomplete/", views.cadre_autocomplete, name="cadre_autocomplete"),
    # 授权审批 (安全管理员)
    path("grants/", views.grant_list, name="grant_list"),
    path("grants/<int:pk>/approve/", views.grant_decide, {"verb": "approve"}, name="grant_approve"),
    path("grants/<int:pk>/reject/", views.grant_decide, {"verb": "reject"}, name="grant_reject"),
    path("tokens/", views.api_token_list, name="api_tokens"),
    path("tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    # 令牌管理 (安全管理员): every token of the installation
    path("tokens/all/", views.api_token_oversight, name="api_token_oversight"),
    path("tokens/all/<int:token_id>/revoke/", views.api_token_oversight_revoke, name="api_token_oversight_revoke"),
]
