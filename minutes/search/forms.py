"""The parameters of a search, shared by the page and the JSON API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minutes.models import Meeting
from minutes.search.queries import Filters

FACET_PARAMETERS = {
    "year": "year",
    "kind": "kind",
    "issuer": "issuer",
    "organization": "organizations",
    "person": "people",
}


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
    page = forms.IntegerField(required=False, min_value=1, max_value=500)

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

    @property
    def filters(self) -> Filters:
        return Filters(
            selected={name: values for name, values in self.selected.items() if values},
            date_from=self.value("date_from"),
            date_to=self.value("date_to"),
        )
