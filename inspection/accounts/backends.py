"""Authentication with the one rule the model backend lacks: under the production settings a superuser is
no one (三员分立: the three administrators replace it). Its password still goes through django-axes, so the
login form can refuse it with a Chinese message; a session it holds (the Django admin's login, one opened
before the switch) yields no user."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

SUPERUSER_REFUSED = "生产环境不允许超级用户登录，请使用系统管理员、安全管理员或安全审计员账号"


def superuser_refused(user) -> bool:
    return bool(user is not None and user.is_superuser and not settings.SUPERUSER_LOGIN_ALLOWED)


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        user = super().get_user(user_id)
        return None if superuser_refused(user) else user
