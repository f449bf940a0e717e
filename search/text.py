"""The one place where text is folded for search.

Every search backend (database and Elasticsearch) calls ``fold`` on both the
indexed text and the query, so "nuoc mam", "Nước mắm" and "NƯỚC MẮM" meet.
"""

import re
import unicodedata
from functools import cache

_SPACES = re.compile(r"\s+")


@cache
def _without_marks() -> dict[int, None]:
    """``str.translate`` table deleting the non-spacing marks (category Mn) of the Basic Multilingual Plane."""
    return {code: None for code in range(0x10000) if unicodedata.category(chr(code)) == "Mn"}


def fold(text: str) -> str:
    """Lower case, strip tone and vowel marks, đ -> d, collapse white space."""
    text = unicodedata.normalize("NFC", text or "").lower().replace("đ", "d")
    stripped = unicodedata.normalize("NFD", text).translate(_without_marks())
    if stripped and max(stripped) > "\uffff":  # marks beyond the BMP are rare: look them up one by one
        stripped = "".join(ch for ch in stripped if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip()


def terms(text: str) -> list[str]:
    return [term for term in re.split(r"[^\w]+", fold(text)) if term]


def index_words(text: str) -> str:
    """Folded words separated by single spaces, with a space at each end.

    Searching for " " + term then finds words that begin with the term, whatever
    punctuation stood around them: "mam" finds "Nước mắm," while "am" does not.
    """
    return f" {' '.join(terms(text))} "


def word_pairs(text: str) -> list[tuple[str, str]]:
    """Each word as typed (lower case, tone marks kept) with its folded form: ("mắm", "mam")."""
    typed = unicodedata.normalize("NFC", text or "").lower()
    return [(word, fold(word)) for word in re.split(r"[^\w]+", typed) if word and fold(word)]
