"""AUTH_PASSWORD_VALIDATORS reading the security policy. Thin: each rule and its Chinese message is in
`security.py`; Django's forms, `manage.py changepassword` and the admin reach the same rules through these."""

from django.core.exceptions import ValidationError

from . import security


class _PolicyValidator:
    code = ""

    def problem(self, password, user, policy):
        raise NotImplementedError

    def validate(self, password, user=None):
        message = self.problem(password, user, security.policy_get())
        if message:
            raise ValidationError(message, code=self.code)

    def get_help_text(self):
        return self.problem("", None, security.policy_get()) or ""


class MinimumLengthValidator(_PolicyValidator):
    code = "password_too_short"

    def problem(self, password, user, policy):
        return security.length_problem(password, policy)


class CharacterClassesValidator(_PolicyValidator):
    code = "password_too_simple"

    def problem(self, password, user, policy):
        return security.classes_problem(password, policy)


class UsernameValidator(_PolicyValidator):
    code = "password_contains_username"

    def problem(self, password, user, policy):
        return security.username_problem(password, user)

    def get_help_text(self):
        return "密码不能包含用户名"


class PasswordHistoryValidator(_PolicyValidator):
    """Refuses the last N passwords; Django calls `password_changed` after any password is saved (forms, admin,
    commands, factories), which is where the history is kept and the password's age restarts."""

    code = "password_reused"

    def problem(self, password, user, policy):
        return security.history_problem(password, user, policy)

    def get_help_text(self):
        return f"不能与最近 {security.policy_get().history_count} 次使用过的密码相同"

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            security.password_history_record(user=user)
