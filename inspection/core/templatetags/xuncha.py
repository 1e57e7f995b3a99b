"""Template filters used on every page; registered as builtins in settings (TEMPLATES OPTIONS)."""

from django import template

from inspection.core import money

register = template.Library()


@register.filter
def yuan(value, empty="—"):
    """Money as 11,091,500.00 (`inspection.core.money.yuan`)."""
    return money.yuan(value, empty)
