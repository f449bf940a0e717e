default_app_config = "shop.checkout.apps.CheckoutConfig"
