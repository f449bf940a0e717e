from django import template

from shop.csp import nonce

register = template.Library()


@register.simple_tag
def csp_nonce() -> str:
    """This response's script nonce: ``<script nonce="{% csp_nonce %}">``."""
    return nonce()
