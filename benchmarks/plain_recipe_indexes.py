"""The tutorial index class: one text field analysed by ``jieba.analyse.ChineseAnalyzer``."""

from haystack import indexes
from jieba.analyse import ChineseAnalyzer

from minutes.models import Meeting
from minutes.search_indexes import meeting_text, meetings_for


class PlainMeetingIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, analyzer=ChineseAnalyzer())
    year = indexes.IntegerField(faceted=True, null=True)
    kind = indexes.CharField(model_attr="kind", faceted=True)
    date = indexes.DateField(model_attr="meeting_date", null=True)

    def get_model(self):
        return Meeting

    def index_queryset(self, using=None):
        return meetings_for("public")

    def prepare_text(self, meeting):
        return meeting_text(meeting)

    def prepare_year(self, meeting):
        return meeting.meeting_date.year if meeting.meeting_date else None
