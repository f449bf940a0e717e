from django.core.management.base import BaseCommand

from search.indexing import progress_bar, rebuild_index


class Command(BaseCommand):
    help = "Rebuilds every product's listing row (folded text and listing columns), and Elasticsearch when configured."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, quiet: bool = False, **options):
        count = rebuild_index(rows_progress=None if quiet else progress_bar)
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} products."))
