"""Keep a first version of every document that has none (documents saved before versions were
kept). Safe to run again: a document that has a version is left alone."""

from django.core.management.base import BaseCommand

from minutes.versions import record_missing_versions


class Command(BaseCommand):
    help = "Keep a first version of every document that has none."

    def handle(self, *args, **options):
        count = record_missing_versions()
        self.stdout.write(f"Versions kept: {count}")
