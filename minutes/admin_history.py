"""The admin's history of a document in a clerk's words (issue 10, item 7).

django-simple-history shows the stored values of each change (``published → withdrawn``,
``on_request → public``, a UTC timestamp, "Deleted 单位 (pk=None)" for a cleared field, None
for a missing reason). Here each value reads as the edit page shows it: the label of a choice,
a local date and time, — for nothing. Kept apart from admin.py, which others edit.
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


class ClerkHistoryContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(value, DeletedObject):
            # A cleared foreign key comes as a "deleted" object without a key.
            if value.pk is None:
                return EMPTY
            return _("deleted %(name)s") % {"name": value.model._meta.verbose_name}
        if value is None or value == "":
            return EMPTY
        if getattr(field, "flatchoices", None):
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, datetime.datetime):
            return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            return formats.date_format(value, "DATE_FORMAT")
        return super().prepare_delta_change_value(change, value)


class ClerkHistoryAdmin:
    """Mix into a SimpleHistoryAdmin: the history list with translated headers and human values."""

    object_history_list_template = "admin/minutes/history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ClerkHistoryContextHelper(self.model, historical_record)
