import pgtrigger
from django.conf import settings
from django.db import models


class ReadLog(models.Model):
    """Who read which secret record, and when (保密查阅日志). Append-only: no interface edits it."""

    class Action(models.TextChoices):
        VIEW = "view", "查看"
        LIST = "list", "列表查阅"
        EXPORT = "export", "导出"
        DOWNLOAD = "download", "下载附件"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="查阅人", on_delete=models.PROTECT)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    action = models.CharField("方式", max_length=10, choices=Action.choices)
    object_type = models.CharField("对象类型", max_length=60, db_index=True)
    object_id = models.CharField("对象编号", max_length=40, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)

    class Meta:
        verbose_name = "保密查阅日志"
        verbose_name_plural = "保密查阅日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="readlog_object")]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.object_repr}"

    @property
    def object_type_label(self) -> str:
        """The model's Chinese name (问题线索), not its label ("referrals.lead")."""
        return model_label(self.object_type)


def model_label(label_lower: str) -> str:
    """`referrals.lead` → 问题线索 (the model's verbose_name); an unknown label is shown as it is."""
    from django.apps import apps

    try:
        return str(apps.get_model(label_lower)._meta.verbose_name)
    except (LookupError, ValueError):
        return label_lower


# The archiving transaction sets this (SET LOCAL through set_config) before it deletes archived rows; the
# trigger lets a DELETE through only with it and only for rows older than the retention period.
ARCHIVING_SETTING = "xuncha.audit_archiving"
RETENTION_DAYS = 180

_ARCHIVE_ALLOWED = (
    f"COALESCE(current_setting('{ARCHIVING_SETTING}', true), '') = 'on'"
    f" AND OLD.at < NOW() - INTERVAL '{RETENTION_DAYS} days'"
)


class AuditEvent(models.Model):
    """One audited operation (安全审计, GB/T 22239-2019 §8.1.4.3): who, in which role, from where, did what to
    which object, with what outcome, in which request.

    Append-only in PostgreSQL (triggers: no UPDATE, no DELETE except the archiving of rows older than 180 days),
    and hash-chained: `hash` is SM3 over the row's canonical form and `prev_hash`, the previous row's `hash`
    (`inspection.audit.chain`). `verify_audit` and the audit page walk the chain.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", "登录"
        LOGOUT = "logout", "登出"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKED_OUT = "locked_out", "账号锁定"
        TWO_FACTOR = "two_factor", "双因素认证"
        ROLE_GRANT = "role_grant", "角色授予"
        ROLE_REVOKE = "role_revoke", "角色撤销"
        ACCOUNT = "account", "账号管理"
        POLICY = "policy", "策略变更"
        CREATE = "create", "新增"
        CHANGE = "change", "修改"
        DELETE = "delete", "删除"
        TRANSITION = "transition", "状态变更"
        AMENDMENT = "amendment", "更正"
        EXPORT = "export", "导出"
        DOWNLOAD = "download", "下载"
        DOCUMENT = "document", "打印/生成文书"
        SECRET_READ = "secret_read", "查阅涉密记录"
        AUDIT_VERIFY = "audit_verify", "审计校验"
        AUDIT_ARCHIVE = "audit_archive", "审计归档"

    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"

    at = models.DateTimeField("时间", db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    # The name as typed for a failed login (no user), the login name otherwise: the row reads on its own.
    username = models.CharField("用户名", max_length=150, blank=True)
    role = models.CharField("角色", max_length=20, blank=True)
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    kind = models.CharField("事件类型", max_length=20, choices=Kind.choices)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象编号", max_length=40, blank=True)
    # str(obj): secret records are named by number (and date), never by a person (docs/CONVENTIONS.md).
    object_label = models.CharField("对象", max_length=200, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    detail = models.CharField("说明", max_length=300, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    prev_hash = models.CharField("上一条摘要", max_length=64)
    hash = models.CharField("摘要（SM3）", max_length=64, unique=True)

    class Meta:
        verbose_name = "安全审计记录"
        verbose_name_plural = "安全审计记录"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["kind", "at"], name="audit_event_kind_at"),
            # The page filters by the name as the row carries it (a failed login has no user).
            models.Index(fields=["username", "at"], name="audit_event_username_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_event_object"),
        ]
        triggers = [
            pgtrigger.Protect(name="audit_event_no_update", operation=pgtrigger.Update),
            pgtrigger.Protect(
                name="audit_event_retention",
                operation=pgtrigger.Delete,
                condition=pgtrigger.Condition(f"NOT ({_ARCHIVE_ALLOWED})"),
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_kind_display()} {self.object_label}"

    @property
    def role_label(self):
        from inspection.accounts.models import Role

        if self.role == "superuser":
            return "超级用户"
        return Role(self.role).label if self.role in Role.values else self.role


class AuditArchive(models.Model):
    """One archive file of audit rows past the retention period: the rows (JSON lines) left the table, their
    file's checksums stay here and beside the file. The last row's hash anchors the chain that remains."""

    archived_at = models.DateTimeField("归档时间", auto_now_add=True)
    first_event_id = models.BigIntegerField("起始记录号")
    last_event_id = models.BigIntegerField("截止记录号")
    last_hash = models.CharField("最后一条摘要", max_length=64)
    row_count = models.PositiveIntegerField("条数")
    filename = models.CharField("归档文件", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    sm3 = models.CharField("SM3", max_length=64)

    class Meta:
        verbose_name = "审计归档"
        verbose_name_plural = "审计归档"
        ordering = ["-last_event_id"]
        triggers = [
            pgtrigger.Protect(name="audit_archive_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return self.filename
