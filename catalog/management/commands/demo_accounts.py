from django.core.management.base import BaseCommand
from django.utils import translation

from catalog import demo


class Command(BaseCommand):
    help = "Create (or reset) the demo accounts and print how to sign in with each."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default=f"http://{demo.SITE_DOMAIN}", help="Where the shop is served.")

    def handle(self, *args, base_url: str, **options):
        accounts = demo.ensure_demo_accounts()
        base_url = base_url.rstrip("/")
        with translation.override("en"):  # console output for developers, like the README
            rows = [
                (str(account.role), account.email, account.password, " ".join(base_url + p for p in account.paths))
                for account in accounts
            ]
        headers = ("Role", "E-mail", "Password", "Go to")
        widths = [max(len(value) for value in column) for column in zip(headers, *rows, strict=True)]
        for line in [headers, tuple("-" * width for width in widths), *rows]:
            self.stdout.write("  ".join(value.ljust(width) for value, width in zip(line, widths, strict=True)).rstrip())
