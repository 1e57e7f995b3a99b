"""Form widgets for choices that may be too many to list (a province has 100,000 units).

- `AutocompleteWidget`: the value is an id in a hidden input; the user types a name into a search box and
  `static/js/xuncha.js` fetches at most 20 matches as JSON from `data-autocomplete-src`. After submit the chosen
  record's name is shown again (one query, only when a value is set). The field keeps its queryset, so a bad or
  out-of-scope id is a normal (Chinese) form error.
- `limit_choices(field, queryset)`: a select that validates against the field's whole queryset but lists only
  `queryset` (plus the selected value), evaluated only when the form is rendered (an API never pays for it).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class AutocompleteWidget(forms.Widget):
    template_name = "includes/autocomplete_widget.html"

    def __init__(self, src, *, placeholder="输入名称搜索", with_fields=(), attrs=None):
        super().__init__(attrs)
        self.src = src
        self.placeholder = placeholder
        self.with_fields = tuple(with_fields)
        self.choices = ()  # ModelChoiceField sets its iterator here; used only to show the selected name

    def __deepcopy__(self, memo):
        obj = super().__deepcopy__(memo)
        obj.choices = self.choices
        return obj

    def selected_label(self, value):
        if value in (None, ""):
            return ""
        iterator = self.choices
        queryset = getattr(iterator, "queryset", None)
        if queryset is None:
            return ""
        value = value.pk if hasattr(value, "pk") else value
        try:
            obj = queryset.filter(pk=value).first()
        except (ValueError, TypeError, ValidationError):
            return ""
        if obj is None:
            return ""
        field = getattr(iterator, "field", None)
        return field.label_from_instance(obj) if field is not None else str(obj)

    def format_value(self, value):
        if value in (None, ""):
            return ""
        return str(value.pk if hasattr(value, "pk") else value)

    def _render(self, template_name, context, renderer=None):
        # The project's templates (not only the form renderer's) hold the widget template.
        return mark_safe(render_to_string(template_name, context))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        css = widget["attrs"].pop("class", "form-control form-control-sm")
        widget.update({
            "src": str(self.src),
            "placeholder": self.placeholder,
            "with_fields": " ".join(self.with_fields),
            "label": self.selected_label(value),
            "text_class": css.replace("form-select", "form-control"),
        })
        return context


class FastSelect(forms.Select):
    """A select rendered in Python: Django renders each <option> through a template (≈ 0.2 ms each), which for a
    few hundred choices (offices, categories) is most of a list page's time. Same HTML, same context."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html("<select name=\"{}\"{}>", widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html("<optgroup label=\"{}\">", group_name))
            for option in options:
                parts.append(format_html(
                    "<option value=\"{}\"{}>{}</option>", option["value"], flatatt(option["attrs"]), option["label"]
                ))
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))


class _LimitedChoices(ModelChoiceIterator):
    """The choices of `field`, drawn from another (bounded) queryset."""

    def __init__(self, field, queryset, label=None):
        super().__init__(field)
        self.queryset = queryset
        self.label = label

    def choice(self, obj):
        value, label = super().choice(obj)
        return (value, self.label(obj) if self.label else label)


def limit_choices(field, queryset, *, selected=None, limit=None, label=None):
    """List `queryset` (at most `limit` rows) in `field`'s select, plus the selected record if it is elsewhere
    in the field's queryset. Validation still uses the field's queryset, so any visible record is accepted."""
    shown = queryset
    if limit is not None:
        shown = field.queryset.filter(pk__in=queryset.values("pk")[:limit])
    selected = selected.pk if hasattr(selected, "pk") else selected
    if selected not in (None, "") and str(selected).isdigit() and len(str(selected)) < 10:
        shown = field.queryset.filter(Q(pk__in=shown.values("pk")) | Q(pk=int(selected)))
    if shown is not queryset:
        ordering = queryset.query.order_by or field.queryset.query.order_by
        if ordering:  # else the model's Meta.ordering applies
            shown = shown.order_by(*ordering)
        shown.query.select_related = queryset.query.select_related  # the labels' joins
    field.widget.choices = _LimitedChoices(field, shown, label)


class YesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter: 全部 / 是 / 否 (Django's NullBooleanSelect says 未知 for "any"). Reads true/false/1/0."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", "全部"), ("true", "是"), ("false", "否")]

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        return {"1": True, "0": False}.get(value, super().value_from_datadict(data, files, name))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern): a list of UploadedFile."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
