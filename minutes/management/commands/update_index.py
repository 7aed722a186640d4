"""update_index: the same full rebuild (haystack's would write in place and hold the lock)."""

from django.core.management.base import BaseCommand

from minutes import search


class Command(BaseCommand):
    help = "Rebuild the search index from the database, showing progress."

    def add_arguments(self, parser):
        parser.add_argument("--noinput", "--no-input", action="store_true")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--workers", type=int, default=1, help="Writer processes.")

    def handle(self, *args, batch_size=500, workers=1, **options):
        search.rebuild(out=self.stdout, batch=batch_size, workers=workers)
