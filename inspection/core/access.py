"""The one place that answers "may this user see / do this to this object".

Each app declares a `Policy` per model in its `permissions.py` and registers it in `AppConfig.ready()`.
Views, API views, templates and exports all go through `visible()`, `can()` and `get_visible_or_404()`.
Never `user.has_perm(perm, obj)`: Django's default backend answers False for objects.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

_policies: dict[type[Model], "Policy"] = {}

# Team scoping (which units, teams and colleagues a team role reaches, and when) is `inspection.core.team_scope`.

# Need-to-know that only a higher app can tell: the findings a receiving body (discipline, organization) has a
# reason to read are those behind the leads referred to it (`referrals`) and those on the problem lists of the
# rectification it oversees (`rectification`); findings may not import either. Each app registers one provider
# per reason in ready(); a provider takes a user and returns a queryset of ids. No provider, no reach.
_need_to_know: dict[str, list[Callable]] = {}


def register_need_to_know(name: str, provider: Callable) -> None:
    providers = _need_to_know.setdefault(name, [])
    if provider not in providers:
        providers.append(provider)


def need_to_know_ids(user, name: str) -> list:
    """One id queryset per registered reason (an empty list when no app registered one)."""
    return [provider(user) for provider in _need_to_know.get(name, ())]


class Policy:
    model: type[Model]
    # action -> roles allowed to attempt it (object scope is checked on top)
    permissions: dict[str, frozenset] = {}
    # Secret records (petitions, inquiries, interviews, leads) have their every read logged. Any record a user may not see
    # answers 404, secret or not (`require`, `core.api.AccessPermission`).
    secret = False

    def scope(self, user, queryset: QuerySet) -> QuerySet:
        raise NotImplementedError

    def check_object(self, user, action: str, obj) -> bool:
        """Extra per-object rules beyond role and scope (e.g. only during the round)."""
        return True

    def role_allows(self, user, action: str) -> bool:
        if not user.is_authenticated or not user.is_active:
            return False
        if user.is_superuser:
            return True
        return user.role in self.permissions.get(action, frozenset())


def register(policy_class: type[Policy]) -> type[Policy]:
    _policies[policy_class.model] = policy_class()
    return policy_class


def policy_for(model) -> Policy:
    model = model if isinstance(model, type) else type(model)
    model = model._meta.concrete_model
    try:
        return _policies[model]
    except KeyError as exc:
        raise LookupError(f"no access policy registered for {model._meta.label}") from exc


def visible(user, queryset_or_model, action: str = "view") -> QuerySet:
    queryset = queryset_or_model if isinstance(queryset_or_model, QuerySet) else queryset_or_model._default_manager.all()
    policy = policy_for(queryset.model)
    if not policy.role_allows(user, action):
        return queryset.none()
    if user.is_superuser:
        return queryset
    return policy.scope(user, queryset)


def can(user, action: str, obj_or_model) -> bool:
    policy = policy_for(obj_or_model)
    if not policy.role_allows(user, action):
        return False
    if isinstance(obj_or_model, type):
        return True
    if user.is_superuser:
        return True
    in_scope = policy.scope(user, type(obj_or_model)._default_manager.filter(pk=obj_or_model.pk)).exists()
    return in_scope and policy.check_object(user, action, obj_or_model)


def require(user, action: str, obj_or_model) -> None:
    """403 for an action the user may not take on what they may see; 404 for an object they may not see at all
    (out of scope, or a model their role never sees), so that its existence does not leak. Pages and the API
    (`core.api.AccessPermission`) answer the same."""
    if can(user, action, obj_or_model):
        return
    if not isinstance(obj_or_model, type) and not can(user, "view", obj_or_model):
        raise Http404
    raise PermissionDenied("您无权执行此操作")


def get_visible_or_404(user, queryset_or_model, **lookup):
    """Fetch one object inside the user's scope; outside it, 404 (never reveal existence)."""
    queryset = visible(user, queryset_or_model)
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
