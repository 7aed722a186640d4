from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Meeting minutes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from minutes.models import Meeting, archive_changed
        from minutes.search import signals

        signals.connect()
        post_save.connect(archive_changed, sender=Meeting, dispatch_uid="archive-changed-save")
        post_delete.connect(archive_changed, sender=Meeting, dispatch_uid="archive-changed-delete")
