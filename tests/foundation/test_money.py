"""Money is shown one way everywhere: thousands separators, two decimals (issue 16)."""

from decimal import Decimal

from django.template import Context, Template

from inspection.core.money import yuan


def test_yuan_formats_with_thousands_separators_and_two_decimals():
    assert yuan(Decimal("10764700")) == "10,764,700.00"
    assert yuan(Decimal("11091500.5")) == "11,091,500.50"
    assert yuan(Decimal("0")) == "0.00"
    assert yuan(None) == "—"
    assert yuan("", empty="") == ""
    assert yuan(52000) == "52,000.00"


def test_yuan_is_a_builtin_template_filter():
    html = Template("{{ a|yuan }} 元；{{ b|yuan }}").render(Context({"a": Decimal("10764700.00"), "b": None}))
    assert html == "10,764,700.00 元；—"
