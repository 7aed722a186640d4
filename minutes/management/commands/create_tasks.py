from django.core.management import BaseCommand

from minutes.followup import create_missing_tasks, meetings_missing_tasks


class Command(BaseCommand):
    help = (
        "Make the follow-up tasks of documents published before tasks existed (one per decision "
        "and organisation it assigns work to); safe to run again, it adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="count the documents that lack tasks, change nothing",
        )

    def handle(self, *args, **options):
        if options["dry_run"]:
            count = meetings_missing_tasks().count()
            self.stdout.write(f"{count} published document(s) lack follow-up tasks.")
            return
        documents, result = create_missing_tasks()
        self.stdout.write(
            self.style.SUCCESS(
                f"{documents} document(s): {result.created} task(s) created, "
                f"{result.relinked} matched again, {result.detached} no longer in their document."
            )
        )
