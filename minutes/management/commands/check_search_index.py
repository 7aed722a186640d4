"""Report (and repair) differences between the database and the search index."""

from django.core.management.base import BaseCommand, CommandError

from minutes import search


class Command(BaseCommand):
    help = "Compare the search index (public and internal) with the database."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Re-index what differs.")

    def handle(self, *args, repair=False, **options):
        clean = search.check(repair=repair, out=self.stdout)
        if not clean and not repair:
            raise CommandError("The search index differs from the database.")
