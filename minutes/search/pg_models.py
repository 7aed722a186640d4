"""The PostgreSQL search engine's tables, as Django models (``minutes.search.postgres``).

Unmanaged: migration 0012 creates the tables, their indexes, the views of public rows and the
role that reads them on PostgreSQL only (the columns are PostgreSQL types); on SQLite the
models exist and the tables do not, which nothing asks for, since SQLite runs Whoosh.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    """One row per document: what the filters, facets and sorts read, nothing large."""

    meeting = models.OneToOneField(
        "minutes.Meeting",
        models.DO_NOTHING,
        primary_key=True,
        db_constraint=False,
        related_name="+",
    )
    updated = models.DateTimeField(null=True)  # the document's updated_at when indexed
    items = models.IntegerField()  # its number of agenda items when indexed
    year = models.IntegerField(null=True)
    kind = models.TextField()
    issuer = models.TextField(null=True)  # noqa: DJ001 (NULL: no issuer, as in the index)
    doc_number = models.TextField(null=True)  # noqa: DJ001 ("2021-15", NULL: none)
    date = models.DateField(null=True)
    organizations = ArrayField(models.TextField())
    people = ArrayField(models.TextField())
    title = SearchVectorField()  # grams of the title, for the advanced search's field
    chair = SearchVectorField()  # grams of the chair's name

    class Meta:
        managed = False
        db_table = "minutes_search_document"

    def __str__(self) -> str:
        return f"search row of document {self.meeting_id}"


class SearchText(models.Model):
    """The text of a document: part 0 holds the words and the first grams, later parts the
    grams of a long document's following stretches (tsvector positions end at 16,383)."""

    pk = models.CompositePrimaryKey("meeting", "part")
    meeting = models.ForeignKey(
        "minutes.Meeting", models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    part = models.SmallIntegerField()
    words = SearchVectorField()
    grams = SearchVectorField()

    class Meta:
        managed = False
        db_table = "minutes_search_text"

    def __str__(self) -> str:
        return f"search text {self.part} of document {self.meeting_id}"
