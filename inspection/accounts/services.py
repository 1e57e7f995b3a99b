"""Writes of the accounts app: notifications, account management by the system administrator, and role grants
approved by the security administrator (三员分立). Views, the bootstrap command and the demo call these only."""

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from inspection.core import access
from inspection.core.exceptions import DomainError
from inspection.core.fields import matches

from . import roles, security, twofactor
from .models import Notification, ReceivingBody, Role, RoleGrant, User


def notification_create(*, user: User, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(user=user, title=title, body=body, url=url)


def notify(*, users, title: str, body: str = "", url: str = "") -> list[Notification]:
    """A notice at a handoff: one in-app notification per user and, after commit, one e-mail to each who has an
    address (the e-mail backend is the office's setting). Call it inside the service's transaction: a move that
    rolls back notifies no one and sends nothing. The title and body carry record numbers and titles, never a
    person named in a secret record (a lead's or petition's subject): notices are read outside the logged pages."""
    users = list({user.pk: user for user in users}.values())
    rows = Notification.objects.bulk_create(
        [Notification(user=user, title=title[:200], body=body, url=url) for user in users]
    )
    addresses = [user.email for user in users if user.email]
    if addresses:
        transaction.on_commit(lambda: _send_notice_mail(addresses, title, body, url))
    return rows


def notify_actors(*, candidates, action: str, obj, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Notify exactly the candidates whose turn it is: those who may take `action` on `obj` now, by the app's own
    access policy (scope, role, membership and phase), so that no notice goes to someone who cannot act."""
    return notify(users=[user for user in candidates if access.can(user, action, obj)], title=title, body=body,
                  url=url)


def _send_notice_mail(addresses, title, body, url):
    from django.conf import settings
    from django.core.mail import EmailMessage, get_connection

    text = "\n\n".join(part for part in (body, f"请登录巡察管理系统办理（{url}）。" if url else "请登录巡察管理系统办理。")
                        if part)
    get_connection().send_messages(
        [EmailMessage(subject=f"【巡察】{title}", body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[address])
         for address in addresses]
    )


def notification_mark_one_read(*, user: User, pk: int) -> Notification:
    """Mark one of the user's own notices read; another user's notice is not there (404 to the caller)."""
    if not 0 < pk < 2**63:  # an id no row can have (a hand-typed address) is simply not there
        raise Notification.DoesNotExist
    notice = Notification.objects.get(pk=pk, user=user)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notifications_mark_read(*, user: User, queryset: QuerySet | None = None) -> int:
    queryset = queryset if queryset is not None else user.notifications.all()
    return queryset.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def liaison_missing_notify(*, unit) -> int:
    """A unit fed back with no liaison account cannot see its rectification: tell the system administrators,
    with a link to the create page filled in. Returns the notifications made."""
    from . import selectors

    if selectors.unit_has_liaison(unit):
        return 0
    url = selectors.liaison_create_url(unit)
    admins = User.objects.filter(role=Role.SYSTEM_ADMIN, is_active=True)
    rows = [Notification(user=admin, title=f"{unit.name}已反馈整改，尚无联络员账号，请创建", url=url) for admin in admins]
    Notification.objects.bulk_create(rows)
    return len(rows)


# --- 三员分立: the rules a role grant must meet -------------------------------------------------------------
# A person is identified by 姓名 + 电话 (display_name + phone): the only personal facts every account carries.
# An identity-card number would identify better but is personal data the office does not need for a login.

def _role_text(role) -> str:
    return Role(role).label if role else "无角色"


def same_person_accounts(user: User) -> QuerySet:
    """The other enabled accounts of the same natural person (same 姓名 and 电话)."""
    if not (user.display_name and user.phone):
        return User.objects.none()
    return (User.objects.filter(matches(User, "phone", user.phone), display_name=user.display_name, is_active=True)
            .exclude(pk=user.pk))


def grant_refusal(*, user: User, role: str) -> DomainError | None:
    """Why `user` may not hold `role` ("" = no role), or None. Asked when a grant is requested and again, under
    the account's lock, when it is approved."""
    if role == user.role:
        return DomainError(f"该账号已是“{_role_text(role)}”，无需申请", field="role")
    if not role:
        return None
    if role in roles.ADMINISTRATORS:
        if user.role in roles.ALL:
            return DomainError("业务账号不能授予管理员角色：管理员须使用专用账号（三员分立）", field="role")
        if not (user.display_name and user.phone):
            return DomainError("管理员账号须填写姓名和电话，用于确认同一人不兼任两个管理员角色", field="phone")
        for other in same_person_accounts(user):
            if other.role in roles.ADMINISTRATORS:
                return DomainError(
                    f"{user.display_name}（{user.phone}）已持有管理员账号“{other.username}”（{other.role_label}），"
                    "同一人不得兼任两个管理员角色（三员分立）", field="role")
            if other.role in roles.ALL:
                return DomainError(
                    f"{user.display_name}（{user.phone}）已持有业务账号“{other.username}”（{other.role_label}），"
                    "管理员不得兼任业务角色（三员分立）", field="role")
        return None
    if user.role in roles.ADMINISTRATORS:
        return DomainError("管理员账号不能授予业务角色（三员分立）", field="role")
    for other in same_person_accounts(user).filter(role__in=roles.ADMINISTRATORS):
        return DomainError(
            f"{user.display_name}（{user.phone}）已持有管理员账号“{other.username}”（{other.role_label}），"
            "不得再授予业务角色（三员分立）", field="role")
    if not user.jurisdiction_id:
        return DomainError("业务账号须选择所属管辖范围", field="jurisdiction")
    if role == Role.UNIT_LIAISON and not user.unit_id:
        return DomainError("被巡察单位联络员须填写所在被巡察单位", field="unit")
    if role in (Role.DISCIPLINE, Role.ORGANIZATION):
        body = user.receiving_body
        if body is None or body.kind != ReceivingBody.Kind(role):
            return DomainError(f"{_role_text(role)}账号须选择类别为“{_role_text(role)}”的所属接收单位",
                               field="receiving_body")
    return None


def _profile_refusal(*, user: User) -> DomainError | None:
    """What the role the account already holds requires of its profile (an edit must not break it)."""
    if user.role == Role.UNIT_LIAISON and not user.unit_id:
        return DomainError("被巡察单位联络员须填写所在被巡察单位", field="unit")
    if user.role in (Role.DISCIPLINE, Role.ORGANIZATION):
        body = user.receiving_body
        if body is None or body.kind != ReceivingBody.Kind(user.role):
            return DomainError(f"{user.role_label}账号须选择类别为“{user.role_label}”的所属接收单位",
                               field="receiving_body")
    if user.role in roles.ALL and not user.jurisdiction_id:
        return DomainError("业务账号须选择所属管辖范围", field="jurisdiction")
    if user.role in roles.ADMINISTRATORS:
        if not (user.display_name and user.phone):
            return DomainError("管理员账号须填写姓名和电话，用于确认同一人不兼任两个管理员角色", field="phone")
        other = same_person_accounts(user).exclude(role="").first()
        if other is not None:
            return DomainError(
                f"{user.display_name}（{user.phone}）已持有账号“{other.username}”（{other.role_label}），"
                "同一人不得另持管理员账号（三员分立）", field="phone")
    return None


def _require(actor, verb, obj):
    if not access.can(actor, verb, obj):
        raise DomainError("您无权执行此操作")


# --- Accounts ----------------------------------------------------------------------------------------------



PROFILE_FIELDS = ("display_name", "phone", "email", "jurisdiction", "unit", "receiving_body")


def _save_profile(user: User, fields) -> None:
    refusal = _profile_refusal(user=user)
    if refusal:
        raise refusal
    try:
        with transaction.atomic():
            user.save(update_fields=list(fields))
    except IntegrityError as exc:
        # Two edits (or an edit and an approval) at once: the indexes hold, the loser gets the sequential message.
        raise DomainError("该人员（姓名、电话相同）已持有管理员账号，同一人不得兼任两个管理员角色（三员分立）",
                          field="phone") from exc


def _link_cadre(*, user: User, cadre) -> None:
    from inspection.units.models import Cadre

    current = Cadre.objects.select_for_update().filter(user=user).first()
    if current is not None and current != cadre:
        current.user = None
        current.save(update_fields=["user"])
    if cadre is None or cadre.user_id == user.pk:
        return
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if cadre.user_id is not None:
        raise DomainError(f"干部“{cadre.name}”已关联账号“{cadre.user.username}”", field="cadre")
    cadre.user = user
    cadre.save(update_fields=["user"])


@transaction.atomic
def user_create(*, actor, username, role="", reason="", cadre=None, **profile) -> tuple[User, str]:
    """A new account with a temporary password (returned, shown once). The account holds no role until the
    security administrator approves the grant requested here."""
    _require(actor, "add", User)
    password = security.temporary_password(username=username)
    user = User(username=username, **{f: profile.get(f) or ("" if f in ("display_name", "phone", "email") else None)
                                      for f in PROFILE_FIELDS})
    user.set_password(password)
    user.must_change_password = True  # 初始口令: changed at the first login (security.PasswordChangeRequiredMiddleware)
    refusal = _profile_refusal(user=user)
    if refusal:
        raise refusal
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise DomainError(f"用户名“{username}”已被使用", field="username") from exc
    _link_cadre(user=user, cadre=cadre)
    if role:
        grant_request(actor=actor, user=user, role=role, reason=reason or "新建账号")
    return user, password


@transaction.atomic
def user_update(*, actor, user: User, cadre=None, **profile) -> User:
    _require(actor, "change", user)
    user = User.objects.select_for_update().get(pk=user.pk)
    for field in PROFILE_FIELDS:
        value = profile.get(field)
        setattr(user, field, value if value is not None else ("" if field in ("display_name", "phone", "email") else None))
    _save_profile(user, PROFILE_FIELDS)
    _link_cadre(user=user, cadre=cadre)
    return user


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    """停用 / 启用. Nothing is deleted: a disabled account keeps its history and cannot log in."""
    _require(actor, "manage", user)
    if user.pk == actor.pk and not active:
        raise DomainError("不能停用本人账号")
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = active
    _save_profile(user, ["is_active"])
    return user


def user_unlock(*, actor, user: User) -> int:
    """Clear django-axes' failed attempts of this user name: the lock-out ends now. Returns the attempts cleared."""
    from axes.utils import reset

    _require(actor, "manage", user)
    return reset(username=user.username)


def user_reset_two_factor(*, actor, user: User) -> None:
    """The user lost the phone: remove its authenticator and recovery codes; it enrols again at next login."""
    _require(actor, "manage", user)
    twofactor.devices_remove(user=user)


@transaction.atomic
def user_reset_password(*, actor, user: User) -> str:
    """A temporary password, returned once for the administrator to hand over; the old one stops working."""
    _require(actor, "manage", user)
    return security.password_set_temporary(user=User.objects.select_for_update().get(pk=user.pk))


# --- Role grants ------------------------------------------------------------------------------------------

_GRANT_STEPS = {"role_grant_requested": "申请", "role_grant_approved": "批准", "role_grant_rejected": "驳回"}


def _audit(kind: str, *, actor, grant: RoleGrant) -> None:
    """One audit row per step of a grant (安全审计: every role grant and revocation), in the service's transaction:
    if it cannot be written, the step fails."""
    from inspection.audit.models import AuditEvent
    from inspection.audit.services import record

    record(
        kind=AuditEvent.Kind.ROLE_GRANT if grant.role else AuditEvent.Kind.ROLE_REVOKE,
        user=actor, obj=grant.user,
        detail=f"{_GRANT_STEPS[kind]}{grant}：{grant.user.username}（{grant.role_text}）",
    )


def _notify_security_admins(grant: RoleGrant) -> None:
    for admin in User.objects.filter(role=Role.SECURITY_ADMIN, is_active=True):
        notification_create(user=admin, title=f"{grant}待审批：{grant.role_text}", url=reverse("accounts:grant_list"))


@transaction.atomic
def grant_request(*, actor, user: User, role: str, reason: str) -> RoleGrant:
    """The system administrator asks that `user` hold `role` ("" revokes). Nothing changes until approval."""
    _require(actor, "add", RoleGrant)
    if not (reason or "").strip():
        raise DomainError("请填写申请理由", field="reason")
    if user.pk == actor.pk:
        raise DomainError("不能为本人账号申请授权（三员分立）", field="role")
    user = User.objects.select_for_update().get(pk=user.pk)
    pending = RoleGrant.objects.filter(user=user, status=RoleGrant.Status.PENDING).first()
    if pending is not None:
        raise DomainError(f"该账号已有待审批的{pending}，请等待安全管理员审批", field="role")
    refusal = grant_refusal(user=user, role=role)
    if refusal:
        raise refusal
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(
                user=user, role=role, previous_role=user.role, reason=reason.strip(), requested_by=actor
            )
    except IntegrityError as exc:
        raise DomainError("该账号已有待审批的授权申请，请等待安全管理员审批", field="role") from exc
    _notify_security_admins(grant)
    _audit("role_grant_requested", actor=actor, grant=grant)
    return grant


def _lock_grant(pk) -> RoleGrant:
    """The grant, locked: of two approvers the second waits here and then reads the first's decision. No join:
    PostgreSQL re-reads only the locked row after the wait, a joined approver would still be the old NULL."""
    return RoleGrant.objects.select_for_update().get(pk=pk)


def _decided_refusal(grant: RoleGrant) -> DomainError:
    verb = "批准" if grant.status == RoleGrant.Status.APPROVED else "驳回"
    when = timezone.localtime(grant.decided_at).strftime("%Y-%m-%d %H:%M")
    return DomainError(f"该授权申请已由{grant.decided_by}于{when}{verb}，请勿重复操作")


def _check_decider(*, actor, grant: RoleGrant) -> None:
    if grant.status != RoleGrant.Status.PENDING:
        raise _decided_refusal(grant)
    if actor.pk in (grant.requested_by_id, grant.user_id):
        raise DomainError("不能审批本人提出或涉及本人账号的授权申请（三员分立）")
    if not access.can(actor, "approve", grant):
        raise DomainError("只有安全管理员可以审批授权申请")


@transaction.atomic
def grant_approve(*, grant: RoleGrant, actor, note: str = "") -> RoleGrant:
    """The role takes effect now. Lock order: the grant, then the account (as in grant_request's account lock)."""
    grant = _lock_grant(grant.pk)
    _check_decider(actor=actor, grant=grant)
    user = User.objects.select_for_update().get(pk=grant.user_id)
    refusal = grant_refusal(user=user, role=grant.role)
    if refusal:
        raise DomainError(f"不能批准：{refusal.message}")
    user.role = grant.role
    try:
        with transaction.atomic():
            user.save(update_fields=["role"])
    except IntegrityError as exc:
        # Another account of the same person was approved an administrator role at the same moment.
        raise DomainError("不能批准：该人员（姓名、电话相同）已持有管理员账号，同一人不得兼任两个管理员角色（三员分立）") from exc
    grant.status = RoleGrant.Status.APPROVED
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.decision_note = (note or "").strip()
    grant.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    notification_create(user=grant.requested_by, title=f"{grant}已批准：{user.username} {grant.role_text}",
                        url=reverse("accounts:user_detail", args=[user.pk]))
    _audit("role_grant_approved", actor=actor, grant=grant)
    return grant


@transaction.atomic
def grant_reject(*, grant: RoleGrant, actor, note: str) -> RoleGrant:
    if not (note or "").strip():
        raise DomainError("请填写驳回理由", field="note")
    grant = _lock_grant(grant.pk)
    _check_decider(actor=actor, grant=grant)
    grant.status = RoleGrant.Status.REJECTED
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.decision_note = note.strip()
    grant.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    notification_create(user=grant.requested_by, title=f"{grant}已驳回：{grant.user.username} {grant.role_text}",
                        url=reverse("accounts:user_detail", args=[grant.user_id]))
    _audit("role_grant_rejected", actor=actor, grant=grant)
    return grant


# --- A new installation ----------------------------------------------------------------------------------

BOOTSTRAP_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


@transaction.atomic
def administrators_bootstrap(*, people: dict) -> list[tuple[User, str]]:
    """The three administrators of a new installation, three different people: {role: {"username",
    "display_name", "phone"}}. The only roles ever set without a grant: before them nobody could approve one.
    Refused once any administrator account exists. Returns (user, temporary password) per role."""
    existing = User.objects.filter(role__in=roles.ADMINISTRATORS).order_by("id").first()
    if existing is not None:
        raise DomainError(f"已有管理员账号“{existing.username}”（{existing.role_label}）：初始化只能在新安装时运行一次")
    rows = [people[role] for role in BOOTSTRAP_ROLES]
    for key, label in (("username", "用户名"), ("display_name", "姓名"), ("phone", "电话")):
        values = [(row.get(key) or "").strip() for row in rows]
        if not all(values):
            raise DomainError(f"三名管理员都须填写{label}")
        if len(set(values)) != 3:
            raise DomainError(f"三名管理员的{label}不能相同：三员须由三个不同的人担任（三员分立）")
    taken = User.objects.filter(username__in=[row["username"].strip() for row in rows]).values_list("username", flat=True)
    if taken:
        raise DomainError(f"用户名“{'、'.join(taken)}”已被使用")
    created = []
    for role, row in zip(BOOTSTRAP_ROLES, rows, strict=True):
        password = security.temporary_password(username=row["username"].strip())
        user = User(username=row["username"].strip(), display_name=row["display_name"].strip(),
                    phone=row["phone"].strip(), role=role, must_change_password=True)
        user.set_password(password)
        user.save()
        created.append((user, password))
    return created
