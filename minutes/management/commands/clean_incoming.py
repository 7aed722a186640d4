from django.conf import settings
from django.core.management import BaseCommand

from minutes import incoming


class Command(BaseCommand):
    help = (
        "Remove the imports that waited longer than MINUTES_IMPORT_EXPIRY_HOURS for their save "
        "(the import page also does this whenever a text is previewed)."
    )

    def handle(self, *args, **options):
        removed = incoming.sweep()
        self.stdout.write(
            f"Removed {removed} expired imports from {settings.MINUTES_INCOMING_DIR} "
            f"(older than {settings.MINUTES_IMPORT_EXPIRY_HOURS} hours)."
        )
