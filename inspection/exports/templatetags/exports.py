from django import template

from .. import registry
from ..views import _panel_context

register = template.Library()


@register.inclusion_tag("exports/_panel.html", takes_context=True)
def generated_files(context, kind_code, record):
    """{% generated_files "findings.unit_report" team_unit %}: the generate button, progress and versions."""
    return _panel_context(context["request"].user, registry.get(kind_code), record) | {"request": context["request"]}
