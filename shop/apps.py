from django.apps import AppConfig
from django.urls import path
from oscar.config import Shop


class ShopConfig(Shop):
    """Oscar's shop, with the front page handed to Wagtail's HomePage."""

    # ``name`` stays "oscar" (inherited) so Oscar's templates, static files and
    # translations are still found.

    def ready(self):
        super().ready()
        from shop.page_cache import connect_receivers

        connect_receivers()

    def get_urls(self):
        from wagtail import views as wagtail_views

        urls = super().get_urls()
        # Oscar's "home" redirects to the catalogue; ours is the Wagtail home page.
        urls[0] = path("", wagtail_views.serve, {"path": ""}, name="home")
        return urls


class ProjectConfig(AppConfig):
    """The project package itself as an app, so ``shop/locale`` (errors, health, limits) is read."""

    name = "shop"
    label = "shop_project"
    verbose_name = "Chợ OCOP Quảng Nam"
