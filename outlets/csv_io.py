"""The registry of sales points as CSV: export every point; import with a dry run and no partial writes.

One row per point, keyed by ``slug`` (empty: a new point). The commune/ward is
given by its official code or its name in the province; the former district by
its name or slug. Every row is checked before anything is written: one bad row
and nothing is saved, and each error names its row and column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from outlets import geography, services
from outlets.models import Outlet

District = get_model("catalogue", "District")

COLUMNS = [
    "slug",
    "name",
    "kind",
    "street",
    "ward_code",
    "ward",
    "province_code",
    "former_district",
    "latitude",
    "longitude",
    "opening_hours",
    "phone",
    "is_open",
    "managers",
]
YES = {"1", "yes", "true", "có", "co", "x"}


def export_csv(outlets) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for o in outlets.select_related("former_district").prefetch_related("managers"):
        writer.writerow(
            [
                o.slug,
                o.name,
                o.kind,
                o.street,
                o.ward_code,
                o.ward_name,
                o.province_code,
                o.former_district.name,
                o.latitude,
                o.longitude,
                o.opening_hours,
                o.phone,
                "yes" if o.is_open else "no",
                ";".join(sorted(u.email for u in o.managers.all())),
            ]
        )
    return out.getvalue()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False


class _Rollback(Exception):
    pass


def _row_error(number: int, column: str, message: str) -> str:
    return _("Row %(row)d, %(column)s: %(message)s") % {"row": number, "column": column, "message": message}


def _parse(row: dict, number: int, districts: dict, users: dict) -> tuple[dict, list, list[str]]:
    errors: list[str] = []
    fields: dict = {}
    fields["name"] = (row.get("name") or "").strip()
    if not fields["name"]:
        errors.append(_row_error(number, "name", _("enter the point's name.")))
    fields["kind"] = (row.get("kind") or Outlet.Kind.SALES_POINT).strip()
    if fields["kind"] not in Outlet.Kind.values:
        errors.append(_row_error(number, "kind", _("one of %(kinds)s.") % {"kinds": ", ".join(Outlet.Kind.values)}))
    fields["street"] = (row.get("street") or "").strip()
    try:
        province = int(row.get("province_code") or geography.DA_NANG)
    except ValueError:
        province = 0
    fields["province_code"] = province
    ward_code = (row.get("ward_code") or "").strip()
    unit = None
    if ward_code.isdigit():
        found = geography.ward(int(ward_code))
        unit = found[0] if found and found[1] == province else None
    elif row.get("ward"):
        unit = geography.ward_by_name(row["ward"], province)
    if unit is None:
        errors.append(_row_error(number, "ward_code", _("no such commune or ward in this province.")))
    else:
        fields["ward_code"] = unit.code
    district = districts.get((row.get("former_district") or "").strip().casefold())
    if district is None:
        errors.append(_row_error(number, "former_district", _("no such former district of Quảng Nam.")))
    fields["former_district"] = district
    for column in ("latitude", "longitude"):
        try:
            fields[column] = Decimal((row.get(column) or "").strip().replace(",", "."))
        except InvalidOperation:
            errors.append(_row_error(number, column, _("enter a number such as 15.8801.")))
    fields["opening_hours"] = (row.get("opening_hours") or "").strip()
    fields["phone"] = (row.get("phone") or "").strip()
    fields["is_open"] = (row.get("is_open") or "yes").strip().casefold() in YES
    managers = []
    for email in filter(None, (e.strip().casefold() for e in (row.get("managers") or "").split(";"))):
        if email in users:
            managers.append(users[email])
        else:
            errors.append(_row_error(number, "managers", _("no account with e-mail %(email)s.") % {"email": email}))
    return fields, managers, errors


def import_csv(data: bytes, *, dry_run: bool) -> ImportResult:
    result = ImportResult(dry_run=dry_run)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."))
        return result
    reader = csv.DictReader(io.StringIO(text))
    missing = {"name", "street", "former_district", "latitude", "longitude"} - set(reader.fieldnames or [])
    if missing:
        result.errors.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(sorted(missing))})
        return result
    districts = {}
    for d in District.objects.all():
        districts[d.name.casefold()] = districts[d.slug.casefold()] = d
    User = get_user_model()
    users = {u.email.casefold(): u for u in User.objects.filter(~Q(email=""))}
    try:
        with transaction.atomic():
            for number, row in enumerate(reader, start=2):
                fields, managers, errors = _parse(row, number, districts, users)
                slug = (row.get("slug") or "").strip()
                outlet = Outlet.objects.filter(slug=slug).first() if slug else None
                if slug and outlet is None:
                    errors.append(_row_error(number, "slug", _("no sales point with this slug.")))
                if not errors:
                    try:
                        services.save_outlet(outlet=outlet, managers=managers, **fields)
                    except ValidationError as exc:
                        errors += [
                            _row_error(number, column, " ".join(messages))
                            for column, messages in exc.message_dict.items()
                        ]
                if errors:
                    result.errors += errors
                elif outlet is None:
                    result.created += 1
                else:
                    result.updated += 1
            if result.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result
