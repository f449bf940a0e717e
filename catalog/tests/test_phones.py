import pytest

from catalog import phones


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("+84905123456", "0905 123 456"),
        ("0905.123.456", "0905 123 456"),
        ("84 905 123 456", "0905 123 456"),
        ("02353812345", "0235 3812 345"),
        ("12345", "12345"),
        ("", ""),
    ],
)
def test_a_phone_number_is_shown_the_vietnamese_way(raw, shown):
    assert phones.display(raw) == shown


def test_only_vietnamese_mobile_and_landline_numbers_are_valid():
    assert phones.is_valid("0905 123 456") and phones.is_valid("+84 235 3812 345")
    assert not phones.is_valid("0105123456") and not phones.is_valid("090512345")


def test_a_stored_phone_number_object_is_shown_the_vietnamese_way():
    from phonenumber_field.phonenumber import PhoneNumber

    assert phones.display(PhoneNumber.from_string("+84905123456")) == "0905 123 456"
