import io

import pytest

from spreadsheet import safe_cell, safe_writer, unquote_cell


@pytest.mark.parametrize("formula", ["=1+1", "+84 905", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_run_stays_text_and_reads_back_unchanged(formula):
    assert safe_cell(formula) == "'" + formula
    assert unquote_cell(safe_cell(formula)) == formula


def test_numbers_and_plain_text_are_written_as_they_are():
    out = io.StringIO()

    safe_writer(out)(["Trà sâm", 150000, "=HYPERLINK()", "'quoted"])

    assert out.getvalue() == "Trà sâm,150000,'=HYPERLINK(),'quoted\r\n"
    assert unquote_cell("'quoted") == "'quoted"
