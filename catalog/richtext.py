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


_PARAGRAPHS_ONLY = re.compile(r"^\s*(?:<p>.*?</p>\s*)+$", re.DOTALL | re.IGNORECASE)


def editable_description(stored: str) -> str:
    """The stored description as the producer typed it, for the edit form: "&" rather than "&amp;".

    Plain paragraphs (the demo's and CSV imports' ``<p>…</p><p>…</p>``) come back as the text they
    are, paragraphs apart, so the box shows no tags; ``render_description`` makes paragraphs of
    them again. Descriptions with lists or bold keep their tags. Saving the text again stores the
    same description either way (``clean_description`` escapes it the same way).
    """
    stored = stored or ""
    if _PARAGRAPHS_ONLY.match(stored) and not re.search(r"<(?!/?p>|br\s*/?>)", stored, re.IGNORECASE):
        paragraphs = re.findall(r"<p>(.*?)</p>", stored, re.DOTALL | re.IGNORECASE)
        stored = "\n\n".join(re.sub(r"<br\s*/?>\s*", "\n", part).strip() for part in paragraphs)
    return html.unescape(stored)


def same_description(stored: str, proposed: str) -> bool:
    """Whether two descriptions show the same on the product page (``<p>`` tags or blank lines alike)."""

    def shown(text: str) -> str:
        return re.sub(r">\s+<", "><", render_description(text)).strip()

    return shown(stored) == shown(proposed)
