"""A generated file is as visible as the record it was generated from."""

from django.db.models import CharField, Q
from django.db.models.functions import Cast

from inspection.accounts.roles import ALL
from inspection.core import access

from . import registry
from .models import GeneratedFile


@access.register
class GeneratedFilePolicy(access.Policy):
    model = GeneratedFile
    permissions = {"view": ALL}

    def scope(self, user, queryset):
        # One branch per registered kind, not per kind found in the table: a `SELECT DISTINCT kind` over every
        # generated file of the installation ran on each download (issue 19); a row of an unregistered kind is
        # not visible.
        condition = Q(pk__in=[])
        for spec in registry.kinds():
            kind = spec.code
            visible_ids = access.visible(user, spec.model, spec.action).annotate(
                pk_text=Cast("pk", CharField())
            ).values("pk_text")
            condition |= Q(kind=kind, object_id__in=visible_ids)
        return queryset.filter(condition)

    def check_object(self, user, action, obj):
        return True
