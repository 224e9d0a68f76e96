"""Template filters for Indonesian formats that do not depend on the active language."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def format_thousands(value: int) -> str:
    """Return a whole number with Indonesian thousands separators: 1250000 -> 1.250.000."""
    return f"{value:,}".replace(",", ".")


@register.filter
def rupiah(value) -> str:
    """Show an amount as Rupiah in Indonesian format: Rp 1.250.000.000 (a dash when missing)."""
    if value is None or value == "":
        return "–"
    try:
        amount = Decimal(str(value)).quantize(Decimal(1))
    except (InvalidOperation, ValueError):
        return "–"
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {format_thousands(abs(int(amount)))}"


@register.filter
def get_item(mapping, key):
    """Return mapping[key], or None: for tables keyed by year in templates."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
