"""Rebuild both search indexes into fresh directories and swap them in (replaces haystack's)."""

from django.core.management.base import BaseCommand

from minutes.search.analysis import load_dictionary_from_database
from minutes.search.indexing import ALIASES, rebuild


class Command(BaseCommand):
    help = "Rebuild the search indexes from the database, showing progress."

    def add_arguments(self, parser):
        parser.add_argument("--noinput", "--no-input", action="store_true")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--workers", type=int, default=1, help="Writer processes.")

    def handle(self, *args, batch_size=500, workers=1, **options):
        load_dictionary_from_database()
        for alias in ALIASES:
            rebuild(alias, out=self.stdout, batch=batch_size, procs=workers)
