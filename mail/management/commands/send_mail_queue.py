"""Sends the queued e-mails (``mail.queue``): ``manage.py send_mail_queue`` (a loop) or ``--once``."""

import signal
import time

from django.core.management.base import BaseCommand

from mail import queue


class Command(BaseCommand):
    help = "Sends the e-mails queued by requests (order confirmations, payment notices), retrying failures."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send what is due and stop.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between two runs (default 2).")
        parser.add_argument("--batch-size", type=int, default=50)

    def handle(self, *args, once=False, interval=2.0, batch_size=50, **options):
        if not queue.enabled():
            self.stdout.write("MAIL_QUEUE is off: requests send their e-mails themselves; sending what is queued.")
        self.running = True
        signal.signal(signal.SIGTERM, self.stop)
        while self.running:
            result = queue.drain(batch_size=batch_size)
            if result.sent or result.failed:
                self.stdout.write(f"sent {result.sent}, failed {result.failed}, due {result.pending}")
            worked = bool(result.sent or result.failed)
            if once and (not worked or not result.pending):
                break
            if not worked or not result.pending:
                time.sleep(interval)

    def stop(self, *args):
        self.running = False
