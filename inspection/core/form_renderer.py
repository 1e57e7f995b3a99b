"""One style of select everywhere (issue 16): Django's form templates, except that a select given no class is
a Bootstrap `form-select` (inspection/core/form_templates/django/forms/widgets/select.html). Setting
`FORM_RENDERER`."""

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property

OWN = Path(__file__).resolve().parent / "form_templates"
DJANGO = Path(django.forms.__file__).resolve().parent / "templates"


class FormRenderer(DjangoTemplates):
    @cached_property
    def engine(self):
        return self.backend({"APP_DIRS": True, "DIRS": [OWN, DJANGO], "NAME": "xuncha_forms", "OPTIONS": {}})
