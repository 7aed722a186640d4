from django import forms
from django.utils.translation import gettext_lazy as _

from minutes.models import Meeting


class BrowseForm(forms.Form):
    """The browse page's filters; a value that does not parse is ignored, not an error."""

    year = forms.IntegerField(label=_("year"), required=False, min_value=1949, max_value=2100)
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=Meeting.Kind.choices)
    issuer = forms.IntegerField(label=_("issuer"), required=False, min_value=1)

    def filters(self) -> dict:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: value
            for name, value in cleaned.items()
            if value not in (None, "") and name not in self.errors
        }
