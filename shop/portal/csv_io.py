"""A producer's products as CSV: export, and import with a dry run.

Import updates price and stock of existing products (matched by SKU) and
creates new products (which wait for approval, like any new product). Every
row is checked before anything is written; if any row is bad, nothing is
written at all, and the report names each bad row (as numbered in a
spreadsheet: the header is row 1) and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalog import ocop, services
from shop.partner.strategy import is_on_sale
from shop.portal import selectors
from spreadsheet import safe_writer, unquote_cell

Category = get_model("catalogue", "Category")
Producer = get_model("catalogue", "Producer")
StockRecord = get_model("partner", "StockRecord")

COLUMNS = ["sku", "title", "title_en", "category", "price_vnd", "stock", "weight_grams", "description"]
REQUIRED_COLUMNS = {"sku", "price_vnd", "stock"}
NEW_PRODUCT_COLUMNS = ("title", "category")


def export_products(producer: Producer) -> str:
    out = io.StringIO()
    writerow = safe_writer(out)
    writerow(COLUMNS + ["moderation", "on_sale"])
    for product in selectors.producer_products(producer):
        record = services.stockrecord_of(product)
        categories = list(product.categories.all())
        writerow(
            [
                record.partner_sku if record else "",
                product.title,
                product.title_en,
                categories[0].code if categories else "",
                int(record.price) if record and record.price is not None else "",
                record.num_in_stock if record else "",
                product.weight_grams or "",
                product.description,
                product.moderation,
                "yes" if is_on_sale(product) else "no",
            ]
        )
    return "\ufeff" + out.getvalue()  # BOM: Excel then reads the Vietnamese text as UTF-8


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class PlannedRow:
    row: int
    sku: str
    action: str  # "create" or "update"
    data: dict


@dataclass
class ImportReport:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created(self) -> int:
        return sum(1 for row in self.rows if row.action == "create")

    @property
    def updated(self) -> int:
        return sum(1 for row in self.rows if row.action == "update")


def _whole_number(text: str, *, minimum: int, maximum: int) -> int:
    """Whole numbers; "150.000" and "150,000" are read as thousands separators (VND has no decimals)."""
    cleaned = text.strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", cleaned):
        cleaned = re.sub(r"[.,]", "", cleaned)
    if not re.fullmatch(r"\d+", cleaned):
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text})
    value = int(cleaned)
    if not minimum <= value <= maximum:
        raise ValueError(
            _("%(value)s is outside %(minimum)s–%(maximum)s.")
            % {"value": value, "minimum": minimum, "maximum": maximum}
        )
    return value


# The columns' database limits, checked with a message instead of truncating or failing at save.
MAX_LENGTHS = {"sku": 128, "title": 255, "title_en": 255}


def plan_import(*, producer, content: bytes) -> ImportReport:
    report = ImportReport()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append(RowError(1, "", _("The file is not UTF-8 text; save it as “CSV UTF-8”.")))
        return report
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = sorted(REQUIRED_COLUMNS - set(header))
    if missing:
        for column in missing:
            report.errors.append(RowError(1, column, _("This column is missing from the header.")))
        return report

    existing = {
        record.partner_sku: record
        for record in StockRecord.objects.filter(partner_id=producer.partner_id).select_related("product")
    }
    categories = {category.code: category for category in selectors.product_categories() if category.code}
    seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        extra = [value for value in raw.get(None) or [] if value.strip()]
        row = {key: unquote_cell((value or "").strip()).strip() for key, value in raw.items() if key}
        if not any(row.values()) and not extra:
            continue
        errors: list[RowError] = []
        for column, value in row.items():
            if "\x00" in value:  # PostgreSQL cannot store it, and the product form refuses it
                errors.append(RowError(number, column, _("This cell holds a NUL character: remove it.")))
            elif column in MAX_LENGTHS and len(value) > MAX_LENGTHS[column]:
                errors.append(
                    RowError(
                        number,
                        column,
                        _("%(length)s characters; at most %(maximum)s.")
                        % {"length": len(value), "maximum": MAX_LENGTHS[column]},
                    )
                )
        if extra:  # the cells past the header would be lost: usually a comma in an unquoted value
            errors.append(
                RowError(
                    number,
                    "",
                    _(
                        "This row has %(cells)s cells but the header has %(columns)s: "
                        "put a value with a comma in quotes."
                    )
                    % {"cells": len(header) + len(raw[None]), "columns": len(header)},
                )
            )
        sku = row.get("sku", "")
        if not sku:
            errors.append(RowError(number, "sku", _("The SKU is empty.")))
        elif sku in seen:
            errors.append(RowError(number, "sku", _("SKU already used on row %(row)s.") % {"row": seen[sku]}))
        else:
            seen[sku] = number
        data: dict = {}
        for column, minimum, maximum in (("price_vnd", 1000, 1_000_000_000), ("stock", 0, 1_000_000)):
            try:
                data[column] = _whole_number(row.get(column, ""), minimum=minimum, maximum=maximum)
            except ValueError as error:
                errors.append(RowError(number, column, str(error)))
        action = "update" if sku in existing else "create"
        if action == "create":
            for column in NEW_PRODUCT_COLUMNS:
                if not row.get(column):
                    errors.append(RowError(number, column, _("Needed for a new product.")))
            if row.get("category"):
                category = categories.get(row["category"])
                if category is None:
                    errors.append(
                        RowError(number, "category", _("Unknown group code “%(code)s”.") % {"code": row["category"]})
                    )
                data["category"] = category
            if row.get("weight_grams"):
                try:
                    data["weight_grams"] = _whole_number(row["weight_grams"], minimum=1, maximum=100_000)
                except ValueError as error:
                    errors.append(RowError(number, "weight_grams", str(error)))
            data.update(
                title=ocop.nfc(row.get("title", ""))[:255],
                title_en=ocop.nfc(row.get("title_en", ""))[:255],
                description=ocop.nfc(row.get("description", "")),
            )
        else:
            data["product"] = existing[sku].product
        report.errors.extend(errors)
        if not errors:
            report.rows.append(PlannedRow(row=number, sku=sku, action=action, data=data))
    if not report.rows and not report.errors:
        report.errors.append(RowError(1, "", _("The file has no product rows.")))
    return report


def import_products(*, producer: Producer, content: bytes, dry_run: bool) -> ImportReport:
    """Check every row; write all of them in one transaction only when none is bad and it is not a dry run."""
    report = plan_import(producer=producer, content=content)
    if dry_run or not report.ok:
        return report
    with transaction.atomic():
        for planned in report.rows:
            data = planned.data
            if planned.action == "update":
                services.update_offer(
                    product=data["product"], producer=producer, price=Decimal(data["price_vnd"]), stock=data["stock"]
                )
            else:
                services.create_product(
                    producer=producer,
                    sku=planned.sku,
                    title=data["title"],
                    title_en=data["title_en"],
                    description=data["description"],
                    category=data["category"],
                    price=Decimal(data["price_vnd"]),
                    stock=data["stock"],
                    weight_grams=data.get("weight_grams"),
                )
    report.applied = True
    return report


def export_sales(producer: Producer) -> str:
    out = io.StringIO()
    writerow = safe_writer(out)
    writerow(["month", "sku", "product", "units", "revenue_vnd"])
    for row in selectors.sales(producer).detail:
        writerow([f"{row['month']:%Y-%m}", row["partner_sku"], row["title"], row["units"], int(row["revenue"])])
    return "\ufeff" + out.getvalue()
