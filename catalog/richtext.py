"""Product descriptions as a small, safe subset of HTML.

Producers type descriptions in the portal or a CSV file, staff in the dashboard,
and the demo data holds HTML paragraphs. Whatever is stored, only paragraphs,
line breaks, bold, italics and lists survive: ``clean_description`` on the way in
(services), ``render_description`` on the way out (the ``ocop_safe_html`` filter),
so rows stored before the rule, or typed by staff, are safe too.
"""

from __future__ import annotations

import html
import re

import nh3
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from catalog import ocop

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li"})
_BLOCK_TAG = re.compile(r"<(p|ul|ol)\b", re.IGNORECASE)


def sanitise(html: str) -> str:
    """Drop every tag and attribute outside the allowlist; scripts and styles go with their content."""
    return nh3.clean(html or "", tags=set(ALLOWED_TAGS), attributes={}, link_rel=None)


def clean_description(text: str) -> str:
    """A description as stored: NFC, without surrounding blanks, sanitised."""
    return sanitise(ocop.nfc(text))


def render_description(text: str) -> SafeString:
    """Sanitised HTML; text typed without paragraphs gets them from its blank lines and line breaks."""
    html = sanitise(text).strip()
    if html and not _BLOCK_TAG.search(html):
        html = linebreaks(html, autoescape=False)  # already escaped by nh3
    return mark_safe(html)  # noqa: S308 - nh3 keeps only the tags above, without attributes


def editable_description(stored: str) -> str:
    """The stored description as the producer typed it, for the edit form: "&" rather than "&amp;".

    Saving it again gives the stored text back (``clean_description`` escapes it the same way).
    """
    return html.unescape(stored or "")
