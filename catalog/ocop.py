"""OCOP rules that do not depend on the database: bands, levels, validity.

Decision 148/QĐ-TTg (2023): a certificate is valid for 36 months from its
decision date; stars follow from a 100-point score.
"""

import calendar
import datetime
import unicodedata
from decimal import Decimal

from django.utils.translation import gettext as _

CERTIFICATE_VALIDITY_MONTHS = 36
EXPIRY_NOTICE_DAYS = 30

# stars -> (lowest score, first score of the next band); 100 is the top of 5★
SCORE_BANDS: dict[int, tuple[Decimal, Decimal]] = {
    3: (Decimal("50"), Decimal("70")),
    4: (Decimal("70"), Decimal("90")),
    5: (Decimal("90"), Decimal("100.01")),
}
BAND_LABELS = {3: "50–69", 4: "70–89", 5: "90–100"}
# Who certifies since Decision 148/QĐ-TTg (2023): the district 3★, the province 4★, the central level 5★.
CERTIFYING_LEVEL = {3: "district", 4: "province", 5: "central"}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, clamped to the month's end (29 Feb -> 28 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last_day))


def certificate_expiry(decision_date: datetime.date) -> datetime.date:
    """The first day on which a certificate decided on ``decision_date`` is no longer valid.

    Stored as the certificate's ``valid_until`` (indexed, so listings filter on it):
    decided on 15/03/2025, it lapses on 15/03/2028.
    """
    return add_months(decision_date, CERTIFICATE_VALIDITY_MONTHS)


def last_valid_day(valid_until: datetime.date | None) -> datetime.date | None:
    """The date a person reads as "valid until": the last day the certificate holds.

    Decided on 15/03/2025, a certificate is valid until 14/03/2028 inclusive and has
    lapsed on 15/03/2028. Every page, export and e-mail shows this date.
    """
    return valid_until - datetime.timedelta(days=1) if valid_until else None


def score_fits_stars(score: Decimal, stars: int) -> bool:
    low, next_band = SCORE_BANDS[stars]
    return low <= score < next_band


def nfc(text: str) -> str:
    """Vietnamese text is stored in NFC: the same word typed on two keyboards compares equal."""
    return unicodedata.normalize("NFC", text or "").strip()


def slugify_vi(value: str, allow_unicode: bool = False) -> str:
    """Django's slugify keeps letters with tone marks' bases but drops đ: map it first."""
    from django.utils.text import slugify

    value = str(value).replace("đ", "d").replace("Đ", "D")
    return slugify(value, allow_unicode=allow_unicode)


def badge_label(stars: int) -> str:
    """The star badge's text alternative, in the active language (pages and e-mails)."""
    return _("OCOP %(stars)s stars") % {"stars": stars}
