"""Vietnam's administrative units since 1 July 2025 (province or central city; commune, ward or special zone),
from the ``vietnam-provinces`` package with their official codes.

The former districts (huyện) are gone from addresses; the catalogue keeps a producer's former district
only as its origin, which the OCOP programme's targets still count. Quảng Nam is part of Đà Nẵng city
(code 48) since the reorganisation, so Đà Nẵng is the default province.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from vietnam_provinces import Province, ProvinceCode, Ward, WardCode

DA_NANG = 48


@dataclass(frozen=True)
class Unit:
    code: int
    name: str


@cache
def provinces() -> tuple[Unit, ...]:
    """The 34 provinces and central cities, by name."""
    return tuple(sorted((Unit(int(p.code), p.name) for p in Province.iter_all()), key=lambda u: u.name))


@cache
def wards(province_code: int = DA_NANG) -> tuple[Unit, ...]:
    """The communes, wards and special zones of a province, by name; none for an unknown code."""
    try:
        code = ProvinceCode(int(province_code))
    except (TypeError, ValueError):
        return ()
    return tuple(sorted((Unit(int(w.code), w.name) for w in Ward.iter_by_province(code)), key=lambda u: u.name))


def province_name(code: int) -> str:
    try:
        return Province.from_code(ProvinceCode(int(code))).name
    except (TypeError, ValueError, KeyError):
        return ""


def ward(code: int) -> tuple[Unit, int] | None:
    """The commune or ward with this code and its province's code, or None."""
    try:
        found = Ward.from_code(WardCode(int(code)))
    except (TypeError, ValueError, KeyError):
        return None
    return Unit(int(found.code), found.name), int(found.province_code)
