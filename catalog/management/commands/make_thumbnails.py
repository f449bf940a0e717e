"""Makes the thumbnails of newly uploaded images: ``manage.py make_thumbnails`` (a loop) or ``--once``."""

import signal
import time

from django.core.management.base import BaseCommand

from catalog import thumbnails


class Command(BaseCommand):
    help = "Makes the shop's thumbnails of uploaded product images, outside the upload request."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Make what is queued and stop.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between two runs (default 2).")
        parser.add_argument("--batch-size", type=int, default=20)

    def handle(self, *args, once=False, interval=2.0, batch_size=20, **options):
        self.running = True
        signal.signal(signal.SIGTERM, self.stop)
        while self.running:
            result = thumbnails.drain(batch_size=batch_size)
            if result.made or result.failed:
                self.stdout.write(f"made {result.made}, failed {result.failed}, waiting {result.pending}")
            worked = bool(result.made or result.failed)
            if once and (not worked or not result.pending):
                break
            if not worked:
                time.sleep(interval)

    def stop(self, *args):
        self.running = False
