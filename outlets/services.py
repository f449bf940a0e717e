"""Writes about sales points: the registry, and movements recorded at the counter.

Counts change only through ``outlets.stock``, which writes the ledger row in
the same transaction; these functions check who asks and what they ask for.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from outlets import stock
from outlets.models import Outlet, StockMovement

Partner = get_model("partner", "Partner")
Kind = StockMovement.Kind

# What a manager records at the counter, and the sign it puts on the shelf count.
COUNTER_KINDS = {Kind.RECEIPT: 1, Kind.SALE: -1, Kind.ADJUSTMENT: 0}

OUTLET_FIELDS = (
    "name",
    "kind",
    "street",
    "ward_code",
    "province_code",
    "former_district",
    "latitude",
    "longitude",
    "opening_hours",
    "phone",
    "is_open",
)


def can_manage(user, outlet: Outlet) -> bool:
    """Staff manage every point; a point's manager only that point."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_staff or outlet.managers.filter(pk=user.pk).exists()


def _unique_slug(name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name, allow_unicode=False)[:100] or "diem-ban"
    slug, n = base, 2
    while Outlet.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def save_outlet(*, outlet: Outlet | None = None, managers=None, is_demo: bool = False, **fields) -> Outlet:
    """Create a point (with the Oscar partner it sells through) or change one; validates the whole row."""
    unknown = set(fields) - set(OUTLET_FIELDS)
    if unknown:
        raise TypeError(f"unknown outlet fields: {sorted(unknown)}")
    if outlet is None:
        outlet = Outlet(is_demo=is_demo)
    for field, value in fields.items():
        setattr(outlet, field, value)
    outlet.name = " ".join(str(outlet.name).split())
    if not outlet.slug:
        outlet.slug = _unique_slug(outlet.name)
    outlet.full_clean(exclude=["partner", "slug"])
    if outlet.partner_id is None:
        outlet.partner = Partner.objects.create(name=outlet.name)
    elif outlet.partner.name != outlet.name:
        Partner.objects.filter(pk=outlet.partner_id).update(name=outlet.name)
    outlet.save()
    if managers is not None:
        outlet.managers.set(managers)
    return outlet


@transaction.atomic
def record_movement(*, outlet: Outlet, product, kind: str, quantity: int, by, reason: str = "") -> StockMovement:
    """A receipt, a counter sale or an adjustment (``quantity`` signed for an adjustment) at ``outlet``."""
    if not can_manage(by, outlet):
        raise PermissionDenied(_("You do not manage this sales point."))
    if kind not in COUNTER_KINDS:
        raise ValidationError({"kind": _("Choose a kind of movement.")})
    reason = " ".join((reason or "").split())
    if kind == Kind.ADJUSTMENT:
        if quantity == 0:
            raise ValidationError({"quantity": _("An adjustment changes the count: enter a number other than 0.")})
        if not reason:
            raise ValidationError({"reason": _("Say why the count is adjusted (e.g. broken, expired, recount).")})
        delta = quantity
    else:
        if quantity <= 0:
            raise ValidationError({"quantity": _("Enter a quantity of at least 1.")})
        delta = COUNTER_KINDS[kind] * quantity
    record = stock.shelf(product=product, partner=outlet.partner)
    try:
        stock.adjust(record_id=record.pk, delta=delta, kind=kind, reason=reason, by=by, title=product.get_title())
    except stock.InsufficientStock as short:
        raise ValidationError(
            {
                "quantity": _("Only %(count)d of “%(title)s” are free at this point.")
                % {"count": short.available, "title": short.title}
            }
        ) from short
    return StockMovement.objects.filter(stockrecord=record).order_by("-pk").first()


@transaction.atomic
def transfer_stock(*, source: Outlet, target: Outlet, product, quantity: int, by) -> None:
    """Send units from one point to another: both ledger rows in one transaction."""
    if not can_manage(by, source):
        raise PermissionDenied(_("You do not manage this sales point."))
    if source.pk == target.pk:
        raise ValidationError({"target": _("Choose another sales point.")})
    if quantity <= 0:
        raise ValidationError({"quantity": _("Enter a quantity of at least 1.")})
    from_record = stock.shelf(product=product, partner=source.partner)
    to_record = stock.shelf(product=product, partner=target.partner)
    try:
        stock.transfer(
            from_record_id=from_record.pk,
            to_record_id=to_record.pk,
            quantity=quantity,
            by=by,
            title=product.get_title(),
        )
    except stock.InsufficientStock as short:
        raise ValidationError(
            {
                "quantity": _("Only %(count)d of “%(title)s” are free at this point.")
                % {"count": short.available, "title": short.title}
            }
        ) from short
