"""Prove that every sales point's stock equals the sum of its ledger (exit status 1 if not)."""

from django.core.management.base import BaseCommand, CommandError

from outlets.selectors import ledger_problems


class Command(BaseCommand):
    help = "Check that each sales point's on-hand and reserved counts equal the sums of its stock movements."

    def handle(self, *args, **options):
        problems = ledger_problems()
        for p in problems:
            self.stderr.write(
                f"{p.outlet} / {p.sku}: on hand {p.on_hand} (ledger {p.ledger_on_hand}), "
                f"reserved {p.reserved} (ledger {p.ledger_reserved})"
            )
        if problems:
            raise CommandError(f"{len(problems)} stock record(s) disagree with the ledger.")
        self.stdout.write(self.style.SUCCESS("Every sales point's stock equals its ledger."))
