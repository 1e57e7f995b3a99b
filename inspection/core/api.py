"""Shared REST API pieces: errors as JSON with Chinese field messages, the access permission."""

import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, permissions
from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.serializers import BaseSerializer
from rest_framework.views import exception_handler as drf_exception_handler

from . import access, masking
from .exceptions import DomainError
from .fields import encrypted_fields


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        exc = exceptions.ValidationError({exc.field or "non_field_errors": [exc.message]})
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "您无权执行此操作")
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到该记录，或您无权查看")
    elif isinstance(exc, exceptions.ParseError):
        # DRF's message carries the parser's English reason ("Expecting value: line 1 column 2"); the position
        # is what helps the integrator, in Chinese.
        exc = exceptions.ParseError(_parse_error_text(exc))
    return drf_exception_handler(exc, context)


def _parse_error_text(exc) -> str:
    position = re.search(r"line (\d+) column (\d+)", str(exc.detail))
    where = f"（第 {position.group(1)} 行第 {position.group(2)} 列附近）" if position else ""
    if "JSON" in str(exc.detail):
        return f"请求体不是有效的 JSON{where}：请检查引号、逗号和括号，字符串须用双引号"
    return "请求体无法解析：请检查其格式是否与 Content-Type 一致"


# HTTP method -> access action, for the default ViewSet actions.
ACTION_FOR_VIEW = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


class AccessPermission(permissions.BasePermission):
    """Asks `inspection.core.access` for every request: role for the action, scope for the object.

    A ViewSet's custom @action declares `access_action` (e.g. "approve"); otherwise the action name is used.
    """

    def _action(self, view):
        name = getattr(view, "action", None)
        explicit = getattr(getattr(view, name, None), "access_action", None) if name else None
        return explicit or ACTION_FOR_VIEW.get(name, name or "view")

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        model = view.get_queryset().model
        action = self._action(view)
        # Object-level actions are decided in has_object_permission once the object is found in scope.
        if getattr(view, "detail", False):
            if access.policy_for(model).role_allows(request.user, "view"):
                return True
            # A record's existence must not leak: whoever may not see it is told it is not there (as pages do,
            # `access.require`). A list is no record: a role without it gets 403 below.
            raise exceptions.NotFound("未找到该记录，或您无权查看")
        return access.can(request.user, action, model)

    def has_object_permission(self, request, view, obj):
        action = self._action(view)
        if access.can(request.user, action, obj):
            return True
        raise exceptions.PermissionDenied("您无权对该记录执行此操作")


def access_action(name):
    """Decorator for a ViewSet @action naming the access action it needs."""

    def decorate(func):
        func.access_action = name
        return func

    return decorate


class ScopedViewSetMixin:
    """get_queryset() always goes through the access policy; nothing is hard-deleted through the API."""

    permission_classes = [AccessPermission]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return access.visible(self.request.user, self.base_queryset())

    def base_queryset(self):
        return self.queryset.all()


DRF_PATH = (RelatedField, ManyRelatedField, BaseSerializer)


class MaskedInListMixin:
    """Personal data encrypted at rest (inspection.core.fields) is masked in list answers (`138****5678`), one
    masking function per kind (inspection.core.masking); retrieve and write answers carry the whole value, and
    those are logged reads. List it first among the bases, so it masks what the others produced."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        view = self.context.get("view")
        if getattr(view, "action", None) == "list":
            for field in encrypted_fields(self.Meta.model):
                if data.get(field.name):
                    data[field.name] = masking.mask(field.kind, data[field.name])
        return data


class FlatRowSerializerMixin:
    """For read-only list serializers whose fields are plain attributes of the row and its select_related joins.

    DRF resolves every field of every row through generic machinery (`Field.get_attribute`, callable checks,
    `OrderedDict` building): for 50 rows of 20 fields that is a third of a list request's time at province scale
    (bench/RESULTS.md). Here each field's attribute path is resolved once per serializer, and each row is a
    dict built by plain `getattr`; the fields still format their values (`to_representation`) and still describe
    the schema. Fields with a method or a whole-object source, nested serializers and related fields (DRF reads
    their `_id` column without loading the object) keep DRF's path. A missing attribute reads as null, as a
    missing join does: the list's query-count tests are what catch a deferred column read row by row."""

    def to_representation(self, instance):
        plan = getattr(self, "_flat_plan", None)
        if plan is None:
            plan = self._flat_plan = [
                (field.field_name, field, None if field.source == "*" or isinstance(field, DRF_PATH)
                 else field.source_attrs)
                for field in self._readable_fields
            ]
        row = {}
        for name, field, attrs in plan:
            if attrs is None:
                row[name] = field.to_representation(field.get_attribute(instance))
                continue
            value = instance
            for attr in attrs:
                value = getattr(value, attr, None)
                if value is None:
                    break
            if callable(value):
                # get_FOO_display and the like, as DRF calls them. Django binds get_FOO_display as a
                # partialmethod, a functools.partial that inspect.ismethod does not recognise.
                value = value()
            row[name] = None if value is None else field.to_representation(value)
        return row


def moves_for_request(context, table, status) -> list:
    """The moves of a transition table open to the request's user from `status`. A list serializer asks for every
    row and the answer depends only on the status: it is computed once per status per response, in the context."""
    user = getattr(context.get("request"), "user", None)
    if user is None:
        return []
    known = context.setdefault("_moves", {})
    key = (id(table), status)
    if key not in known:
        known[key] = table.moves_for(status, user)
    return known[key]
