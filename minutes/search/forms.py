"""The parameters of a search, shared by the page, the JSON API and the catalogue export."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minutes.models import Meeting
from minutes.search import analysis
from minutes.search.query import SearchRequest, parse_query

FACET_PARAMETERS = {
    "year": "year",
    "kind": "kind",
    "issuer": "issuer",
    "organization": "organizations",
    "person": "people",
}
MAX_PAGE = 500  # deeper pages cost an engine a collector of page x per_page hits


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("relevance", _("Relevance")),
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.selected = {
            field: [value for value in data.getlist(parameter) if value][:5]
            for parameter, field in FACET_PARAMETERS.items()
            if data.getlist(parameter)
        }
        if "kind" in self.selected:
            self.selected["kind"] = [k for k in self.selected["kind"] if k in Meeting.Kind.values]

    def value(self, name, default=None):
        """A cleaned value, or ``default`` when missing or invalid."""
        self.is_valid()  # fills cleaned_data with the fields that are valid
        return self.cleaned_data.get(name) or default

    @property
    def query(self) -> str:
        return (self.value("q") or "").strip()

    def requested_page(self) -> int:
        """The page asked for, read as browse reads it: not a number or below 1 is page 1."""
        raw = str(self.data.get("page", "")).strip()
        return min(max(int(raw), 1), MAX_PAGE) if raw.isdigit() else 1

    def search_request(self, audience: str, *, doc_number_first: bool = True) -> SearchRequest:
        """What the reader asked, for the engine; ``audience`` is the index the user may read.

        A query that is a whole 文号 (in any common form) is a filter on that 文号, not a
        search for every text mentioning the year (the page redirects when it finds one).
        """
        query_text = self.query
        selected = {name: list(values) for name, values in self.selected.items() if values}
        doc_number = analysis.parse_doc_number(query_text) if doc_number_first else None
        if doc_number is not None:
            query_text = ""
            selected["doc_number"] = [f"{doc_number[0]}-{doc_number[1]}"]
        return SearchRequest(
            clauses=parse_query(query_text),
            selected=selected,
            date_from=self.value("date_from"),
            date_to=self.value("date_to"),
            sort=self.value("sort", "relevance"),
            page=self.requested_page(),
            audience=audience,
        )
