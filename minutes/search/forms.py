"""The parameters of a search, shared by the page, the JSON API and the exports.

The form checks what a reader typed and says what is wrong in the site's words: a query past
``MAX_QUERY_LENGTH``, a date that is not one, a range that ends before it starts, a 文号
that is not one. The page shows these beside the fields (the text typed stays in the box); the
API answers them with a 400 naming the parameter.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from minutes.models import Meeting
from minutes.search import analysis
from minutes.search.query import MAX_QUERY_LENGTH, SearchRequest, parse_query

# URL parameter -> facet name of the search interface (query.FACETS).
FACET_PARAMETERS = {
    "year": "year",
    "kind": "kind",
    "issuer": "issuer",
    "organization": "organizations",
    "person": "people",
}
# Values a reader may select in one facet (a longer URL is cut, not refused).
MAX_SELECTED = 5
MAX_PAGE = 500  # deeper pages cost an engine a collector of page x per_page hits
# Advanced search: URL parameter -> query.TEXT_FIELDS name.
TEXT_PARAMETERS = {"title": "title", "chair": "chair"}
SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
]
DATE_INVALID = _("Enter a real date, such as 2021-04-06.")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        error_messages={
            "max_length": _(
                "The search is %(show_value)d characters long; at most %(limit_value)d are "
                "read. Shorten it, or use the advanced search below."
            )
        },
    )
    date_from = forms.DateField(
        label=_("From"), required=False, error_messages={"invalid": DATE_INVALID}
    )
    date_to = forms.DateField(
        label=_("To"), required=False, error_messages={"invalid": DATE_INVALID}
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=SORT_CHOICES,
        error_messages={"invalid_choice": _("Choose an order from the list.")},
    )
    title = forms.CharField(label=_("Title contains"), required=False, max_length=100)
    doc_number = forms.CharField(label=_("Document number"), required=False, max_length=30)
    chair = forms.CharField(label=_("Chaired by"), required=False, max_length=40)
    page = forms.CharField(required=False)

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.selected = {}
        for parameter, name in FACET_PARAMETERS.items():
            values = list(dict.fromkeys(v.strip() for v in data.getlist(parameter) if v.strip()))
            if name == "kind":
                values = [value for value in values if value in Meeting.Kind.values]
            if values:
                self.selected[name] = values[:MAX_SELECTED]

    def clean_doc_number(self):
        text = self.cleaned_data["doc_number"].strip()
        if text and analysis.parse_doc_number(text) is None:
            raise forms.ValidationError(
                _("%(text)s is not a document number; write it as 〔2021〕15号 or 2021年15号."),
                params={"text": text},
            )
        return text

    def clean_page(self):
        text = self.cleaned_data["page"].strip()
        if not text:
            return 1
        if not text.isdigit() or int(text) < 1:
            raise forms.ValidationError(_("The page is a whole number, 1 or more."))
        return int(text)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to",
                forms.ValidationError(
                    _("Earlier than the start date (%(start)s): swap or correct the dates."),
                    params={"start": start.isoformat()},
                ),
            )
        return cleaned

    def value(self, name, default=None):
        """A cleaned value, or ``default`` when missing or invalid."""
        self.is_valid()  # fills cleaned_data with the fields that are valid
        return self.cleaned_data.get(name) or default

    @property
    def problems(self) -> dict:
        """The errors that stop a search (a wrong page number only moves to page 1)."""
        self.is_valid()
        return {name: errors for name, errors in self.errors.items() if name != "page"}

    @property
    def typed(self) -> str:
        """The query as typed, kept in the box even when it is refused."""
        return str(self.data.get("q", ""))

    @property
    def query(self) -> str:
        return (self.value("q") or "").strip()

    @property
    def sort_order(self) -> str:
        return self.value("sort", "relevance")

    @property
    def doc_number_filter(self) -> str | None:
        """The advanced search's 文号 as the interface selects it ("2021-15")."""
        parsed = analysis.parse_doc_number(self.value("doc_number", ""))
        return f"{parsed[0]}-{parsed[1]}" if parsed else None

    @property
    def text_fields(self) -> dict[str, str]:
        return {
            name: self.value(parameter, "").strip()
            for parameter, name in TEXT_PARAMETERS.items()
            if self.value(parameter, "").strip()
        }

    def requested_page(self) -> int:
        """The page asked for, read as browse reads it: not a number or below 1 is page 1."""
        raw = str(self.data.get("page", "")).strip()
        return min(max(int(raw), 1), MAX_PAGE) if raw.isdigit() else 1

    def search_request(self, audience: str, *, doc_number_first: bool = True) -> SearchRequest:
        """What the reader asked, for the engine; ``audience`` is the index the user may read.

        A query that is a whole 文号 (in any common form) is a filter on that 文号, not a
        search for every text mentioning the year (the page redirects when it finds one).
        """
        text = self.query
        selected = {name: list(values) for name, values in self.selected.items()}
        doc_number = analysis.parse_doc_number(text) if doc_number_first else None
        if doc_number is not None:
            text = ""
            selected["doc_number"] = [f"{doc_number[0]}-{doc_number[1]}"]
        if self.doc_number_filter:
            selected.setdefault("doc_number", []).append(self.doc_number_filter)
        return SearchRequest(
            clauses=parse_query(text),
            selected=selected,
            date_from=self.value("date_from"),
            date_to=self.value("date_to"),
            fields=self.text_fields,
            sort=self.sort_order,
            page=self.requested_page(),
            audience=audience,
        )
