"""Campaign discounts as Oscar benefits, priced per unit in whole dong.

Oscar's own percentage benefit discounts a line by ``percent × price × quantity``
and rounds the basket's total, so a line can end up with a fraction of a dong and
a different unit price from the one the product card showed. These proxies take
one whole-dong discount per unit from ``unit_discount`` (the same function the
product cards use) and multiply it by the quantity.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _
from oscar.apps.offer.benefits import apply_discount
from oscar.apps.offer.results import ZERO_DISCOUNT, BasketDiscount
from oscar.core.loading import get_model

Benefit = get_model("offer", "Benefit")

PERCENTAGE = "percentage"
AMOUNT = "amount"


def unit_discount(*, kind: str, value: Decimal, price: Decimal) -> Decimal:
    """Whole dong off one unit at ``price``: ``value`` percent of it, or ``value`` dong (never more than the price)."""
    if kind == PERCENTAGE:
        discount = (price * value / Decimal(100)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    else:
        discount = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(Decimal(0), min(discount, price))


def remaining_budget(offer) -> Decimal | None:
    """What the offer may still give (its budget less what placed orders took), or None without a budget."""
    if not offer.max_discount:
        return None
    return max(Decimal(0), offer.max_discount - offer.total_discount)


class CampaignBenefit(Benefit):
    kind = ""

    class Meta:
        proxy = True
        app_label = "cms"

    def unit_discount(self, price: Decimal) -> Decimal:
        return unit_discount(kind=self.kind, value=self.value, price=price)

    def apply(self, basket, condition, offer, max_total_discount=None, **kwargs):
        """Each unit gets the whole per-unit discount or none: a budget running out never halves one.

        Oscar stops an offer only once it is over budget; here the units the remaining
        budget (``remaining_budget``) cannot cover in full keep their full price, so
        that every discounted unit costs what the product card showed.
        """
        if offer.max_user_applications and basket.owner is None:
            return ZERO_DISCOUNT  # a guest cannot be counted: a discount limited per customer needs signing in
        available = max_total_discount
        remaining = remaining_budget(offer)
        if remaining is not None:
            available = remaining if available is None else min(available, remaining)
        discount = Decimal(0)
        for price, line in self.get_applicable_lines(offer, basket):
            quantity = line.quantity_without_offer_discount(offer)
            per_unit = self.unit_discount(price)
            if quantity <= 0 or per_unit <= 0:
                continue
            if available is not None:
                quantity = min(quantity, int(available // per_unit))
                if quantity <= 0:
                    continue
                available -= per_unit * quantity
            apply_discount(line, per_unit * quantity, quantity, offer)
            discount += per_unit * quantity
        result = BasketDiscount(discount)
        # One application takes every unit it can: applied again, it would spend the same remaining budget twice.
        result.is_final = True
        return result


class CampaignPercentageBenefit(CampaignBenefit):
    kind = PERCENTAGE

    class Meta:
        proxy = True
        app_label = "cms"
        verbose_name = _("campaign percentage discount")

    @property
    def name(self):
        return _("%(value)s%% off") % {"value": f"{self.value.normalize():f}"}

    description = name


class CampaignAmountBenefit(CampaignBenefit):
    kind = AMOUNT

    class Meta:
        proxy = True
        app_label = "cms"
        verbose_name = _("campaign discount per item")

    @property
    def name(self):
        return _("%(value)s ₫ off each item") % {"value": f"{int(self.value):,}".replace(",", ".")}

    description = name


BENEFIT_CLASSES = {PERCENTAGE: CampaignPercentageBenefit, AMOUNT: CampaignAmountBenefit}
