"""Template filters for Indonesian formats that do not depend on the active language."""

from decimal import Decimal, InvalidOperation

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

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
def thousands(value) -> str:
    """Show a whole amount with Indonesian thousands separators (1.250.000) for a table cell whose header says
    "(Rp)"; a dash for nothing or zero, as the Kabupaten's tables write it."""
    if not value:
        return "–"
    return format_thousands(int(value))


@register.filter
def number(value) -> str:
    """Show a number in Indonesian format without trailing zeros: 1250.50 -> 1.250,5 (a dash when missing)."""
    if value is None or value == "":
        return "–"
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "–"
    if not amount.is_finite():
        return "–"
    text = f"{abs(amount):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    whole, _dot, fraction = text.partition(".")
    sign = "-" if amount < 0 else ""
    return sign + format_thousands(int(whole)) + ("," + fraction if fraction else "")


@register.filter
def get_item(mapping, key):
    """Return mapping[key], or None: for tables keyed by year in templates."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


# A number no route is ever reversed with: `url_for_rows` reverses once with it, `with_pk` swaps in each row's pk.
ROW_PK_PLACEHOLDER = "987654321987654321"


@register.simple_tag
def url_for_rows(name, *args):
    """Reverse a URL whose last argument is a row's pk once per page: `{% url_for_rows 'x:edit' a as edit_url %}`.

    A `{% url %}` per row and action was the largest cost of long tables (reversing walks the resolver);
    `{{ edit_url|with_pk:row.pk }}` gives the same address as `{% url 'x:edit' a row.pk %}`.
    """
    return reverse(name, args=[*args, int(ROW_PK_PLACEHOLDER)])


@register.filter
def with_pk(url_pattern: str, pk) -> str:
    """Return the address of one row from a `url_for_rows` pattern (a pk that is not a number is an error)."""
    return url_pattern.replace(ROW_PK_PLACEHOLDER, str(int(pk)))


class CaptureNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist, self.name = nodelist, name

    def render(self, context) -> str:
        context[self.name] = mark_safe(self.nodelist.render(context))
        return ""


@register.tag
def capture(parser, token):
    """Render a part once and keep it as a variable: `{% capture as menu %}…{% endcapture %}`, then `{{ menu }}`.

    For markup a page shows twice (the navigation for wide screens and in the phone menu).
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}…{% endcapture %}.")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
