"""Every save or delete of a document or one of its parts tells the search engine, inside
the transaction that made it (``minutes.search.changed``).

Haystack's ``RealtimeSignalProcessor`` is not used: it writes from the request (lock fights,
lost updates) and ignores ``index_queryset()`` (unpublished text would reach ``public``).
"""

from django.db.models.signals import post_delete, post_save

from minutes import models, search


def _meetings_of_items(item_ids):
    return models.AgendaItem.objects.filter(pk__in=item_ids).values_list("meeting_id", flat=True)


def meeting_changed(sender, instance, **kwargs):
    search.changed([instance.pk])


def part_changed(sender, instance, **kwargs):
    search.changed([instance.meeting_id])


def item_part_changed(sender, instance, **kwargs):
    search.changed(_meetings_of_items([instance.agenda_item_id]))


def assignment_changed(sender, instance, **kwargs):
    item_ids = models.Decision.objects.filter(pk=instance.decision_id).values("agenda_item_id")
    search.changed(_meetings_of_items(item_ids))


def organization_changed(sender, instance, created=False, **kwargs):
    if created:
        return
    meetings = models.Meeting.objects.filter(
        models.Q(issuer=instance)
        | models.Q(attendances__organization=instance)
        | models.Q(items__decisions__assignments__organization=instance)
    )
    search.changed(meetings.values_list("pk", flat=True).distinct())


def reviewed_document_changed(sender, instance, created=False, **kwargs):
    if not created:
        search.changed(_meetings_of_items(instance.reviews.values("agenda_item_id")))


RECEIVERS = [
    (models.Meeting, meeting_changed),
    (models.AgendaItem, part_changed),
    (models.Attendance, part_changed),
    (models.Distribution, part_changed),
    (models.Decision, item_part_changed),
    (models.Review, item_part_changed),
    (models.Assignment, assignment_changed),
]


def connect() -> None:
    """Connect the receivers (called once from ``MinutesConfig.ready``)."""
    for model, receiver in RECEIVERS:
        post_save.connect(receiver, sender=model, dispatch_uid=f"search-{model.__name__}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"search-{model.__name__}-delete")
    post_save.connect(organization_changed, sender=models.Organization, dispatch_uid="search-org")
    post_save.connect(
        reviewed_document_changed, sender=models.ReviewedDocument, dispatch_uid="search-reviewed"
    )
