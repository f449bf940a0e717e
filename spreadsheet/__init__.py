"""CSV cells that a spreadsheet opens as text, for every export of the project.

A spreadsheet runs a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (OWASP "CSV injection"). Every CSV export writes
its rows through ``safe_writer`` (or quotes single cells with ``safe_cell``); an
import of such a file reads its cells back with ``unquote_cell``. Domain-neutral:
the domains and the front doors both use it, and it imports none of them.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would read as a formula, prefixed with a quote so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unquote_cell(value: str) -> str:
    """The text ``safe_cell`` quoted, as it was: an export imports back unchanged."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def safe_writer(out) -> Callable[[Iterable[object]], object]:
    """A ``writerow`` for ``out`` whose every cell goes through ``safe_cell``."""
    writer = csv.writer(out)
    return lambda row: writer.writerow([safe_cell(value) for value in row])
