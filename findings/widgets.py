"""The checklist as a searchable tree (issue 16: the category was a flat list of 52 long paths).

`CategoryTreeSelect` renders a select grouped by area › aspect (usable as it is, without script); static/js/
xuncha.js (`[data-category-tree]`) adds a search box and a collapsible tree of areas, aspects and manifestations
that sets the select. No inline script (CSP 'self')."""

from django import forms


class CategoryTreeSelect(forms.Select):
    def __init__(self, attrs=None):
        super().__init__({"data-category-tree": "1", "class": "form-select", **(attrs or {})})

    def optgroups(self, name, value, attrs=None):
        groups = {}
        order = []
        empty = []
        selected = {str(v) for v in value if v is not None}
        for index, (option_value, _label) in enumerate(self.choices):
            instance = getattr(option_value, "instance", None)
            if instance is None or instance.parent_id is None:
                if option_value in ("", None):
                    empty.append(self.create_option(name, "", "请选择问题分类", not selected - {""},
                                                    index, attrs=attrs))
                continue
            aspect = instance.parent
            area = aspect.parent
            key = f"{area.code} {area.name} › {aspect.code} {aspect.name}"
            if key not in groups:
                groups[key] = []
                order.append(key)
            option = self.create_option(name, str(option_value), f"{instance.code} {instance.name}",
                                        str(option_value) in selected, index, attrs=attrs)
            option["attrs"].update({"data-area": f"{area.code} {area.name}", "data-aspect": f"{aspect.code} {aspect.name}"})
            groups[key].append(option)
        result = [(None, empty, 0)] if empty else []
        return result + [(key, groups[key], i + 1) for i, key in enumerate(order)]
