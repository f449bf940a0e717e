"""Oscar's checkout session mixin, checking the chosen shipping method without listing every other one."""

from oscar.apps.checkout import session
from oscar.core.loading import get_class

Repository = get_class("shipping.repository", "Repository")


class CheckoutSessionMixin(session.CheckoutSessionMixin):
    def get_shipping_method(self, basket, shipping_address=None, **kwargs):
        """The method in the session while it is still on offer for this basket, else None.

        Oscar lists every method and picks the chosen one: the pre-conditions, the skip conditions and the
        order's submission each did so, and listing them means asking every sales point whether it holds
        the basket. Only the chosen one is looked at here (``chosen``); placing the order still checks
        a point's stock under row locks.
        """
        code = self.checkout_session.shipping_method_code(basket)
        if not code:
            return None
        methods = Repository().get_shipping_methods(
            basket=basket, user=self.request.user, shipping_addr=shipping_address, request=self.request, chosen=code
        )
        return next((method for method in methods if method.code == code), None)
