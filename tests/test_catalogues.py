"""Every translation catalogue passes the checks `make messages` (pybabel compile) runs.

conftest.py compiles the catalogues without those checks, so without this test
a placeholder the English text lacks would pass the suite and break `make test`.
"""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import _catalogues

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = list(_catalogues(ROOT))


def test_there_are_catalogues_to_check():
    assert len(CATALOGUES) >= 5


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_passes_babels_format_checks(po_path):
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file)
    problems = [
        f"{po_path.relative_to(ROOT)}:{message.lineno}: {error}"
        for message, errors in catalog.check()
        for error in errors
    ]
    assert problems == []
