"""``manage.py search_index --rebuild``: a new Elasticsearch index, filled, then switched in under the alias."""

from django.core.management.base import BaseCommand, CommandError
from oscar.core.loading import get_model

from search.backends import get_backend
from search.indexing import rebuild_index

Product = get_model("catalogue", "Product")


class ProgressBar:
    def __init__(self, total: int, stream, width: int = 40):
        self.total, self.done, self.stream, self.width = total, 0, stream, width

    def __call__(self, step: int) -> None:
        self.done += step
        filled = self.width * self.done // max(self.total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total}", ending="")
        self.stream.flush()


class Command(BaseCommand):
    help = "Rebuilds the search index: the database rows and, with Elasticsearch, a new index behind the alias."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Build a new index and switch the alias to it.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, rebuild=False, batch_size=500, **options):
        if not rebuild:
            raise CommandError("Say --rebuild to build a new index and switch to it.")
        backend = get_backend()
        progress = ProgressBar(Product.objects.count(), self.stdout) if hasattr(backend, "rebuild") else None
        try:
            count = rebuild_index(batch_size=batch_size, progress=progress)
        except Exception as error:  # noqa: BLE001  (say what failed; the old index still answers)
            raise CommandError(f"Rebuild failed, the previous index still answers searches: {error}") from error
        if progress:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} products."), ending="\n")
