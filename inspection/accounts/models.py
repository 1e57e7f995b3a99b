from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from inspection.core import masking
from inspection.core.fields import BlindIndexField, EncryptedCharField


class Role(models.TextChoices):
    OFFICE = "office", "巡察办工作人员"
    LEADING_GROUP = "leading_group", "巡察工作领导小组成员"
    TEAM_LEADER = "team_leader", "巡察组组长/副组长"
    TEAM_MEMBER = "team_member", "巡察组组员"
    DISCIPLINE = "discipline", "纪委监委"
    ORGANIZATION = "organization", "组织部"
    UNIT_LIAISON = "unit_liaison", "被巡察单位联络员"
    # 三员分立 (GB/T 22239-2019 §8.1.4.2): the three administrators hold no business role and see no business
    # record; see roles.ADMINISTRATORS.
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "安全审计员"


ADMINISTRATOR_ROLES = [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]


class Jurisdiction(models.Model):
    """An inspection office's jurisdiction (a county or a city), with the deadlines that office has set."""

    class Level(models.TextChoices):
        COUNTY = "county", "县（市、区）"
        CITY = "city", "市（州）"
        PROVINCE = "province", "省（区、市）"

    name = models.CharField("名称", max_length=100, unique=True)
    office_name = models.CharField("巡察机构名称", max_length=100, help_text="如：中共某县委巡察工作领导小组办公室")
    level = models.CharField("层级", max_length=20, choices=Level.choices, default=Level.COUNTY)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    plan_due_days = models.PositiveSmallIntegerField("整改方案期限（反馈后天数）", default=30)
    report_due_days = models.PositiveSmallIntegerField("整改报告期限（反馈后天数）", default=60)
    immediate_fix_days = models.PositiveSmallIntegerField("立行立改期限（天）", default=15)
    disposition_due_days = models.PositiveSmallIntegerField("线索处置报告期限（签收后天数）", default=90)
    remind_before_days = models.PositiveSmallIntegerField("到期前提醒（天）", default=7)
    escalate_after_days = models.PositiveSmallIntegerField("逾期升级（天）", default=30)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "管辖范围"
        verbose_name_plural = "管辖范围"
        ordering = ["id"]

    def __str__(self):
        return self.name


class ReceivingBody(models.Model):
    """A body that receives referrals: the discipline commission, the organization department, other departments."""

    class Kind(models.TextChoices):
        DISCIPLINE = "discipline", "纪委监委"
        ORGANIZATION = "organization", "组织部"
        OTHER = "other", "其他职能部门"

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name="管辖范围", on_delete=models.PROTECT)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "移交接收单位"
        verbose_name_plural = "移交接收单位"
        ordering = ["jurisdiction_id", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="receiving_body_unique_name")]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who logs in. Team roles reach their team through `units.Cadre.user`."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="所属管辖范围", null=True, blank=True, on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="所在被巡察单位（联络员）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="liaisons",
    )
    receiving_body = models.ForeignKey(
        ReceivingBody,
        verbose_name="所属接收单位（纪委监委/组织部）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    display_name = models.CharField("姓名", max_length=50, blank=True)
    phone = EncryptedCharField("电话", max_length=30, blank=True, kind=masking.PHONE)
    phone_index = BlindIndexField("电话（盲索引）", source="phone")
    # The password's age starts here (expiry, security.password_change_required). Stamped by
    # validators.PasswordHistoryValidator.password_changed whenever a password is saved; the default covers users
    # created without one and, in the migration, gives existing accounts a full period from the upgrade.
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now)
    # A temporary password set by an administrator (new account, reset) must be replaced at the next login.
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="unit_liaison") | models.Q(unit__isnull=False),
                name="user_liaison_has_unit",
            ),
            # 三员分立: a natural person (姓名 + 电话, see SECURITY.md) holds at most one enabled administrator
            # account, so never two of the three roles. The service checks first for the message; this index is
            # what holds when two approvals run at once.
            models.UniqueConstraint(
                # The phone is encrypted with a random IV: the blind index is what compares equal.
                fields=["display_name", "phone_index"],
                condition=models.Q(role__in=ADMINISTRATOR_ROLES, is_active=True),
                name="user_one_admin_account_per_person",
            ),
        ]

    def __str__(self):
        return self.display_name or self.username

    @property
    def role_label(self):
        return Role(self.role).label if self.role else ("超级用户" if self.is_superuser else "")


class RoleGrant(models.Model):
    """A role granted or revoked (role = "") by the system administrator. It takes effect only when a security
    administrator approves it (三员分立); until then the user keeps the role it had. Written only by
    `accounts.services` (grant_request / grant_approve / grant_reject); never deleted."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已驳回"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.PROTECT, related_name="role_grants"
    )
    role = models.CharField("申请角色", max_length=20, choices=Role.choices, blank=True, help_text="空：撤销角色")
    previous_role = models.CharField("原角色", max_length=20, choices=Role.choices, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField("申请理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "角色授权申请"
        verbose_name_plural = "角色授权申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One open request per account: a second would decide on a role the first may already have changed.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="role_grant_one_pending_per_user"
            ),
            models.CheckConstraint(
                condition=(models.Q(status="pending") & models.Q(decided_at__isnull=True, decided_by__isnull=True))
                | (~models.Q(status="pending") & models.Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="role_grant_decided_iff_not_pending",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="role_grant_status")]

    def __str__(self):
        return f"授权申请 #{self.pk}"

    @property
    def role_text(self):
        return Role(self.role).label if self.role else "撤销角色"

    @property
    def previous_role_text(self):
        return Role(self.previous_role).label if self.previous_role else "无"


class Notification(models.Model):
    """An in-app notification. Reminders of higher apps create these through `accounts.services`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self):
        return self.title


class ApiToken(models.Model):
    """A credential for programs calling the API (等保三级 身份鉴别). Issued in the app only to a user whose
    session passed the second factor, bound to the device that passed it; it expires and its owner revokes it.
    Only the SHA-256 of the secret is stored: the secret is shown once, at issuance. Revoked and expired tokens
    stay as records (nothing is hard-deleted)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="持有人", on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField("名称（用途）", max_length=100)
    key_hash = models.CharField("令牌摘要（SHA-256）", max_length=64, unique=True)
    prefix = models.CharField("令牌前缀", max_length=12, help_text="令牌开头几位，便于持有人辨认，不足以使用")
    device_id = models.CharField("签发时通过的二次验证设备", max_length=100)
    created_at = models.DateTimeField("签发时间", default=timezone.now, editable=False)
    expires_at = models.DateTimeField("有效期至")
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"], name="api_token_user_created")]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")), name="api_token_expires_later"),
        ]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"


class SecurityPolicy(models.Model):
    """The password and session policy (安全策略), one row (id 1), set by the security administrator. Read through
    `security.policy_get()` (cached); written only by `security.policy_update()`. The form's bounds are the
    等保三级 floor: an office can make the policy stricter, never weaker."""

    SINGLETON_ID = 1

    min_length = models.PositiveSmallIntegerField("密码最小长度", default=8)
    min_char_classes = models.PositiveSmallIntegerField(
        "至少包含的字符类别数", default=3, help_text="大写字母、小写字母、数字、特殊字符四类中至少几类"
    )
    history_count = models.PositiveSmallIntegerField("密码历史检查次数", default=5)
    expiry_days = models.PositiveSmallIntegerField("密码有效期（天）", default=90)
    expiry_warning_days = models.PositiveSmallIntegerField("密码到期前提醒（天）", default=7)
    dormant_days = models.PositiveSmallIntegerField("长期未登录停用（天）", default=90)
    idle_minutes = models.PositiveSmallIntegerField("会话空闲超时（分钟）", default=30)
    absolute_hours = models.PositiveSmallIntegerField("会话最长时长（小时）", default=8)
    max_sessions = models.PositiveSmallIntegerField("同一账号同时在线会话数", default=2)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "安全策略"
        verbose_name_plural = "安全策略"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="security_policy_singleton")]

    def __str__(self):
        return "安全策略"


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords (the current one included), so that none of the last N is reused.
    Only hashes, never a password; rows beyond the largest N a policy may ask for are removed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField("密码摘要", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_user_recent")]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class UserSession(models.Model):
    """A signed-in session of a user: the session store (cached_db) has no user column, and the concurrent-session
    limit must find a user's sessions to end the oldest one server-side."""

    class EndReason(models.TextChoices):
        LOGOUT = "logout", "退出登录"
        CONCURRENT = "concurrent", "超过同时在线会话数"
        IDLE = "idle", "空闲超时"
        ABSOLUTE = "absolute", "超过会话最长时长"
        EXPIRED = "expired", "已过期"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField("会话标识", max_length=40, unique=True)
    started_at = models.DateTimeField("登录时间", default=timezone.now)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=20, choices=EndReason.choices, blank=True)

    class Meta:
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"
        indexes = [
            models.Index(
                fields=["user", "started_at"], name="user_session_open", condition=models.Q(ended_at__isnull=True)
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True, end_reason="")
                | (models.Q(ended_at__isnull=False) & ~models.Q(end_reason="")),
                name="user_session_end_reason_iff_ended",
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.started_at:%Y-%m-%d %H:%M}"
