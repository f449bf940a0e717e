from search.text import fold, terms


def test_fold_strips_tone_marks_and_maps_d_with_stroke():
    assert fold("Nước mắm Cửa Đại") == "nuoc mam cua dai"


def test_fold_meets_decomposed_input():
    decomposed = "Nu\u031bo\u031b\u0301c ma\u0306\u0301m"  # "Nước mắm" typed as base letters + combining marks
    assert fold(decomposed) == fold("Nước mắm") == "nuoc mam"


def test_terms_split_on_punctuation():
    assert terms("  Trà-Sâm, NGỌC LINH ") == ["tra", "sam", "ngoc", "linh"]
