from django.core.management import BaseCommand, call_command

from minutes.models import Meeting

SEED_FIXTURES = ["seed"]


class Command(BaseCommand):
    help = "Load the seed documents (fixtures/) when the archive is empty; do nothing otherwise."

    def handle(self, *args, **options):
        if Meeting.objects.exists():
            self.stdout.write("The archive already holds documents; seed not loaded.")
            return
        call_command("loaddata", *SEED_FIXTURES, verbosity=options["verbosity"])
        self.stdout.write(
            self.style.SUCCESS(f"Seed loaded: {Meeting.objects.count()} document(s).")
        )
