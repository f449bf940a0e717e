"""Vietnamese phone numbers: one normal form to store (``0905123456``) and one way to show them (``0905 123 456``)."""

import re

_NON_DIGITS = re.compile(r"[^\d+]")


def normalise(raw) -> str:
    """Digits only, national form: ``+84 905-123-456`` and ``84905123456`` become ``0905123456``.

    A number that is not Vietnamese-looking is returned with only its separators removed.
    """
    digits = _NON_DIGITS.sub("", str(raw or ""))  # also a phonenumber_field PhoneNumber
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def is_valid(raw) -> bool:
    """A mobile (10 digits, 03/05/07/08/09) or landline (11 digits, 02x) number."""
    number = normalise(raw)
    return bool(re.fullmatch(r"0[35789]\d{8}|02\d{9}", number))


def display(raw) -> str:
    """``0905 123 456`` for a mobile, ``0235 3812 345`` for a landline; anything else as stored."""
    number = normalise(raw)
    if re.fullmatch(r"0[35789]\d{8}", number):
        return f"{number[:4]} {number[4:7]} {number[7:]}"
    if re.fullmatch(r"02\d{9}", number):
        return f"{number[:4]} {number[4:8]} {number[8:]}"
    return str(raw or "")
