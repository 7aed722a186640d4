"""Input checks: the clerk's import form and the browse page's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minutes.models import Meeting
from minutes.parsing import ParseError, parse
from minutes.readers import ReadError, read_text_file

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    """Paste the text or upload a .txt/.docx/.pdf; the form reads and parses it."""

    text = forms.CharField(
        label=_("Text of the minutes"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 100}),
    )
    file = forms.FileField(
        label=_("Or a file"),
        required=False,
        help_text=_("Plain text (UTF-8 or GB18030), Word (.docx) or PDF with a text layer."),
    )
    replace = forms.BooleanField(
        label=_("Replace the stored document with the same document number"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        text = cleaned.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError(_("Paste the text or choose a file, not both."))
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("The file is larger than 20 MB."))
            try:
                text = read_text_file(upload.read(), upload.name)
            except ReadError as error:
                raise forms.ValidationError(str(error)) from error
        if not text.strip():
            raise forms.ValidationError(_("Paste the text of the minutes or choose a file."))
        try:
            cleaned["parsed"] = parse(text)
        except ParseError as error:
            self.error_line = error.line
            raise forms.ValidationError(
                _("Line %(line)s: %(message)s"),
                params={"line": error.line, "message": error.message},
            ) from error
        cleaned["text"] = text
        return cleaned


class BrowseForm(forms.Form):
    """The browse page's filters; a value that does not parse is ignored, not an error."""

    year = forms.IntegerField(label=_("year"), required=False, min_value=1949, max_value=2100)
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=Meeting.Kind.choices)
    issuer = forms.IntegerField(label=_("issuer"), required=False, min_value=1)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("", ""),
            ("newest", _("Date, newest first")),
            ("oldest", _("Date, oldest first")),
            ("number", _("Document number, last first")),
            ("number_asc", _("Document number, first first")),
        ],
    )

    def filters(self) -> dict:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: value
            for name, value in cleaned.items()
            if value not in (None, "") and name not in self.errors
        }
