import oscar.apps.checkout.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    name = "shop.checkout"

    def ready(self):
        super().ready()
        self.card_payment_view = get_class("checkout.views", "CardPaymentView")
        self.card_return_view = get_class("checkout.views", "CardReturnView")
        self.stripe_webhook_view = get_class("checkout.views", "StripeWebhookView")
        self.refund_view = get_class("checkout.views", "RefundView")

    def get_urls(self):
        urls = super().get_urls()
        urls += self.post_process_urls(
            [
                path("card/", self.card_payment_view.as_view(), name="card-payment"),
                path("card/return/", self.card_return_view.as_view(), name="card-return"),
                path("stripe/webhook/", self.stripe_webhook_view.as_view(), name="stripe-webhook"),
                path("stripe/refund/<str:number>/", self.refund_view.as_view(), name="stripe-refund"),
            ]
        )
        return urls
