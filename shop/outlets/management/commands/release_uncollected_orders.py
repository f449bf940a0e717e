"""Release the reservations of collection orders left uncollected past OUTLETS_COLLECTION_DAYS (run daily)."""

from django.core.management.base import BaseCommand

from outlets.models import Outlet
from shop.order import collection


class Command(BaseCommand):
    help = "Cancel collection orders ready for longer than OUTLETS_COLLECTION_DAYS and put their goods back."

    def handle(self, *args, **options):
        released = 0
        for outlet in Outlet.objects.order_by("pk"):
            for order in collection.overdue(outlet):
                collection.mark_not_collected(order=order, outlet=outlet)
                released += 1
        self.stdout.write(f"{released} uncollected order(s) released.")
