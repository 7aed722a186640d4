from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    # The app's config though this module holds another (AxesConfig, below).
    default = True
    name = "minutes"
    verbose_name = _("Meeting minutes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from minutes import models, versions
        from minutes.search import signals

        signals.connect()
        versions.connect()
        # Whatever a page shows of a document can change with it, its parts, or the names of
        # the bodies and titles it links: each renews the token of the cached answers.
        for model in (
            models.Meeting,
            models.AgendaItem,
            models.Decision,
            models.Assignment,
            models.Review,
            models.Attendance,
            models.Distribution,
            models.Organization,
            models.ReviewedDocument,
        ):
            for signal in (post_save, post_delete):
                signal.connect(
                    models.archive_changed,
                    sender=model,
                    dispatch_uid=f"archive-changed-{signal is post_save}-{model.__name__}",
                )


class AxesConfig(AxesAppConfig):
    """django-axes with a name in the admin's language (it ships none: "Axes")."""

    verbose_name = _("Sign-in protection")
