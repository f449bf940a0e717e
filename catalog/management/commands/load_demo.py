from django.core.management.base import BaseCommand

from catalog import demo


class Command(BaseCommand):
    help = "Load the demo marketplace: 43 real OCOP products of Quảng Nam, their producers, and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--no-images", action="store_true", help="Skip drawing product pictures.")

    def handle(self, *args, no_images: bool = False, **options):
        summary = demo.load_demo(images=not no_images)
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.products} products from {summary.producers} producers, "
                f"{summary.certificates} certificates ({summary.renewals} demo renewals), "
                f"{summary.images_created} new pictures."
            )
        )
        if summary.lapsed:
            self.stdout.write("Lapsed on purpose (not for sale): " + "; ".join(summary.lapsed))
        from catalog.demo_history import load_demo_history

        history = load_demo_history()
        self.stdout.write(
            f"Demo certification history (registry only, not for sale): {history.products} products from "
            f"{history.producers} producers, {history.certificates} certificates ({history.upgrades} upgrades, "
            f"{history.lapsed} lapsed)" + ("" if history.created else ", already loaded") + "."
        )
        from cms.demo import load_cms_demo

        pages = load_cms_demo()
        self.stdout.write(
            f"Editorial demo: a running Tết campaign (10% off {pages.campaign_products} products), "
            "an upcoming fair and two news items."
        )
        self.stdout.write("Demo accounts: python manage.py demo_accounts")
