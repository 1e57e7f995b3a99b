"""Money is shown one way everywhere (pages, cards, roll-up, documents): yuan with thousands separators and two
decimals, e.g. 11,091,500.00. Template filter `yuan` (a builtin, no {% load %}); Python code calls `yuan()`."""

from decimal import Decimal, InvalidOperation


def yuan(value, empty: str = "—") -> str:
    """`Decimal("10764700")` → "10,764,700.00"; None or "" → `empty`; text that is not a number is returned as is."""
    if value is None or value == "":
        return empty
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{amount.quantize(Decimal('0.01')):,.2f}"
