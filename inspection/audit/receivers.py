"""The few hook points that audit every app without edits in each: authentication signals, django-axes'
lock-out, simple-history's one signal for every create/change of a domain record, and the status-change rows
every workflow writes. Connected in `AuditConfig.ready()`."""

from functools import cache

from .models import AuditEvent
from .services import record

Kind = AuditEvent.Kind
Outcome = AuditEvent.Outcome

HISTORY_KINDS = {"+": Kind.CREATE, "~": Kind.CHANGE, "-": Kind.DELETE}


def on_logged_in(sender, request, user, **kwargs):
    record(kind=Kind.LOGIN, user=user, obj=user, request=request)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(kind=Kind.LOGOUT, user=user, obj=user, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username") or "")
    record(
        kind=Kind.LOGIN_FAILED, username=username, object_label=username, outcome=Outcome.FAILURE,
        detail="用户名或密码错误，或账号已锁定", request=request,
    )


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    record(
        kind=Kind.LOCKED_OUT, username=str(username or ""), object_label=str(username or ""),
        outcome=Outcome.FAILURE, detail="连续登录失败，账号已锁定", request=request,
    )


def on_history_row(sender, instance, history_instance, **kwargs):
    """Every create, change and deletion marker of a model with `HistoricalRecords` (every domain model), in the
    transaction of the save. A service marks an amendment (更正: a change of an approved record) by setting
    `instance._audit_kind = AuditEvent.Kind.AMENDMENT` next to its `_change_reason`."""
    kind = getattr(instance, "_audit_kind", None) or HISTORY_KINDS.get(history_instance.history_type, Kind.CHANGE)
    # The user simple-history took from the request, or the request's own; none in a task or a command.
    record(
        kind=kind, user=getattr(history_instance, "history_user", None), obj=instance,
        detail=f"历史记录 #{history_instance.pk}",
    )


def _status_change_parent(instance):
    for field in instance._meta.concrete_fields:
        if field.is_relation and field.name != "actor":
            return getattr(instance, field.name)
    return None


@cache
def _is_status_change(model) -> bool:
    return {"from_status", "to_status", "actor"} <= {f.name for f in model._meta.concrete_fields}


def on_status_change_row(sender, instance, created, raw=False, **kwargs):
    """状态变更: every workflow writes a status-change row (from, to, actor) in its service's transaction; the
    row names the record that moved."""
    if not created or raw:
        return
    if not _is_status_change(sender):
        return
    parent = _status_change_parent(instance)
    source = instance.get_from_status_display() if instance.from_status else "（新建）"
    record(
        kind=Kind.TRANSITION, user=instance.actor, obj=parent,
        detail=f"{source} → {instance.get_to_status_display()}",
    )
