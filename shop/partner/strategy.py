"""Pricing and availability: Oscar's default strategy, plus the OCOP rule.

A product whose OCOP certificate has lapsed (or was never verified) cannot be
bought, whatever its stock.
"""

from functools import partial

from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import availability
from oscar.apps.partner import strategy as oscar_strategy

from cms.pricing import RunningCampaigns
from outlets import stock


class CertificateLapsed(availability.Unavailable):
    code = "certificate-lapsed"
    message = _("Not for sale: the OCOP certificate has lapsed")

    def is_purchase_permitted(self, quantity):
        return False, _("This product cannot be bought: its OCOP certificate has lapsed.")


class NotCertified(availability.Unavailable):
    code = "not-certified"
    message = _("Not for sale: no verified OCOP certificate")

    def is_purchase_permitted(self, quantity):
        return False, _("This product cannot be bought until its OCOP certificate is verified.")


def ocop_refusal(product) -> availability.Unavailable | None:
    """Why the OCOP rule refuses to sell ``product`` (certificate lapsed, or none verified), or None."""
    if product.current_certificate is None:
        return CertificateLapsed() if product.latest_certificate else NotCertified()
    return None


def is_on_sale(product) -> bool:
    """Offered to buyers, as the product page says: public and allowed by the OCOP rule.

    Stock aside: an out-of-stock product stays on sale (its page says so); a lapsed one is "not for sale".
    Every screen that says whether a product is on sale (the producer's portal, its CSV export) asks this.
    """
    return bool(product.is_public) and ocop_refusal(product) is None


class OcopAvailability:
    def availability_policy(self, product, stockrecord):
        return ocop_refusal(product) or super().availability_policy(product, stockrecord)


class UseSellingStockRecord:
    """The producer's own stock record sells the product (the rule is ``outlets.stock.selling_record``)."""

    def select_stockrecord(self, product):
        return stock.selling_record(product)


class CampaignPrices:
    """The price carries the running campaign's promotion (badge, struck-through and campaign price) for display.

    The price itself stays the stock record's: the basket takes the discount off
    through the campaign's Oscar offer, with the same per-unit rule (``cms.offers``).
    """

    @cached_property
    def campaigns(self) -> RunningCampaigns:
        return RunningCampaigns(user=self.user, request=self.request)

    def pricing_policy(self, product, stockrecord):
        price = super().pricing_policy(product, stockrecord)
        if price.exists:
            # Looked up when a page shows it: the basket and checkout take the offer's discount instead.
            price.promotion = SimpleLazyObject(partial(self.campaigns.promotion_for, product, price.incl_tax))
        else:
            price.promotion = None
        return price


class Default(
    CampaignPrices,
    OcopAvailability,
    UseSellingStockRecord,
    oscar_strategy.StockRequired,
    oscar_strategy.NoTax,
    oscar_strategy.Structured,
):
    """Prices in VND are tax inclusive (Vietnamese retail prices include VAT)."""


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return Default(request)
