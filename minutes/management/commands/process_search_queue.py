"""Apply queued search-index changes: once, or as a loop beside the web workers."""

import time

from django.core.management.base import BaseCommand

from minutes import search


class Command(BaseCommand):
    help = "Apply the queued search index updates (what a crashed or busy process left)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep draining every second.")

    def handle(self, *args, loop=False, **options):
        while True:
            search.drain()
            if not loop:
                return
            time.sleep(1)
