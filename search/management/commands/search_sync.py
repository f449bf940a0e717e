"""Sends the search outbox to Elasticsearch: ``manage.py search_sync`` (a loop) or ``--once``.

On either backend it also reprices the products of campaigns whose window opened or closed since
the last run (a change of time alone, which no receiver hears)."""

import datetime
import signal
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from search import outbox
from search.backends import get_backend


class Command(BaseCommand):
    help = "Sends changed products to Elasticsearch in bulk (the search outbox), retrying failures."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send what is due and stop.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between two runs (default 5).")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, once=False, interval=5.0, batch_size=500, **options):
        sending = outbox.enabled()
        if not sending:
            self.stdout.write("Database backend: repricing listing rows as campaigns open and close.")
        backend = get_backend()
        self.running = True
        signal.signal(signal.SIGTERM, self.stop)
        last_day = timezone.localdate() - datetime.timedelta(days=1)
        # Campaign windows that opened or closed since the worker last looked (a day back after a restart).
        last_look = timezone.now() - datetime.timedelta(days=1)
        while self.running:
            now = timezone.now()
            outbox.reprice_campaign_boundaries(last_look, now)
            last_look = now
            if not sending:
                if once:
                    break
                time.sleep(interval)
                continue
            today = timezone.localdate()
            if today != last_day:
                # Certificates that started or ended since the last day seen may change a product's stars.
                outbox.enqueue_certificate_boundaries(last_day, today)
                last_day = today
            result = outbox.drain(backend, batch_size=batch_size)
            if result.sent or result.failed:
                self.stdout.write(f"sent {result.sent}, failed {result.failed}, waiting {result.pending}")
            if once:
                break
            time.sleep(interval)

    def stop(self, *args):
        self.running = False
