"""Vietnam's administrative units since 1 July 2025 (province; commune/ward), from ``vietnam-provinces``.

One lookup for the whole project: sales points use it for their address, and
checkout addresses can use it too. Quảng Nam is part of Đà Nẵng city
(province code 48) since the 2025 reorganisation.
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
    return tuple(sorted((Unit(int(p.code), p.name) for p in Province.iter_all()), key=lambda u: u.name))


@cache
def wards(province_code: int = DA_NANG) -> tuple[Unit, ...]:
    """The communes and wards of a province, by name."""
    try:
        code = ProvinceCode(province_code)
    except ValueError:
        return ()
    return tuple(sorted((Unit(int(w.code), w.name) for w in Ward.iter_by_province(code)), key=lambda u: u.name))


def province_name(code: int) -> str:
    try:
        return Province.from_code(ProvinceCode(code)).name
    except (ValueError, KeyError):
        return ""


def ward(code: int) -> tuple[Unit, int] | None:
    """The ward or commune with this code and its province's code, or None."""
    try:
        found = Ward.from_code(WardCode(code))
    except (ValueError, KeyError):
        return None
    return Unit(int(found.code), found.name), int(found.province_code)


def ward_by_name(name: str, province_code: int = DA_NANG) -> Unit | None:
    """A commune or ward of the province by its name, with or without "Phường"/"Xã" (case-insensitive)."""
    wanted = " ".join(name.split()).casefold()
    for unit in wards(province_code):
        full = unit.name.casefold()
        if wanted in (full, full.split(" ", 1)[-1]):
            return unit
    return None
