"""Report (and repair) differences between the database and the search indexes."""

from django.core.management.base import BaseCommand, CommandError

from minutes.search.indexing import check


class Command(BaseCommand):
    help = "Compare the public and internal search indexes with the database."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Re-index what differs.")

    def handle(self, *args, repair=False, **options):
        clean = check(repair=repair, out=self.stdout)
        if not clean and not repair:
            raise CommandError("The search indexes differ from the database.")
