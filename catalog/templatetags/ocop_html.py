"""``{{ product.description|ocop_safe_html }}``: the one way a description is shown (see catalog.richtext)."""

from django import template

from catalog.richtext import render_description

register = template.Library()


@register.filter(is_safe=True)
def ocop_safe_html(value) -> str:
    return render_description("" if value is None else str(value))
