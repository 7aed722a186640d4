"""Input checks: the clerk's import forms, the organisation corrections and the browse filters."""

from django import forms
from django.conf import settings
from django.db.models import Case, Exists, OuterRef, Value, When
from django.utils.translation import gettext_lazy as _

from minutes.importing import parse_text
from minutes.models import Meeting, Organization
from minutes.parsing import ParseError
from minutes.readers import SUPPORTED_SUFFIXES, ReadError, read_text_file


def size_label(size: int) -> str:
    """A byte count as a clerk reads it: 20 MB, 2.5 MB, 64 KB."""
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0") + " MB"


def known_issuers(limit: int = 300) -> list[str]:
    """The names offered for the issuer: bodies that issued minutes before first, then
    governments, then the others, each alphabetically."""
    issued = Exists(Meeting.objects.filter(issuer=OuterRef("pk")))
    government = Case(When(kind=Organization.Kind.GOVERNMENT, then=Value(0)), default=Value(1))
    return list(
        Organization.objects.annotate(issued=issued, government=government)
        .order_by("-issued", "government", "name")
        .values_list("name", flat=True)[:limit]
    )


class ImportChoicesForm(forms.Form):
    """What the clerk decides about an import: issuer, disclosure, replacing."""

    issuer = forms.CharField(
        label=_("Issuer"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"list": "known-issuers", "autocomplete": "off", "size": 40}),
    )
    disclosure = forms.ChoiceField(
        label=_("Disclosure"),
        required=False,
        choices=[
            ("", _("From the text (主动公开 if it says 此件公开发布)")),
            *Meeting.Disclosure.choices,
        ],
    )
    replace = forms.BooleanField(
        label=_("Replace the stored document with the same document number"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = settings.MINUTES_DEFAULT_ISSUER
        self.fields["issuer"].help_text = (
            _(
                "Leave empty for the issuer the text names, or else the archive's default, "
                "%(default)s. A name you give wins over the text's."
            )
            % {"default": default}
            if default
            else _(
                "Leave empty for the issuer the text names. Name it when the text does not, "
                "or names another; a name you give wins over the text's."
            )
        )

    def clean_issuer(self):
        return " ".join(self.cleaned_data["issuer"].split())

    @property
    def choices(self) -> dict:
        """The decisions, as ``importing.plan_import`` takes them."""
        return {
            "issuer": self.cleaned_data.get("issuer") or None,
            "disclosure": self.cleaned_data.get("disclosure") or None,
            "replace": bool(self.cleaned_data.get("replace")),
        }


class ImportForm(ImportChoicesForm):
    """Paste the text or upload a .txt/.docx/.pdf; the form reads and parses it.

    ``oversized`` names an upload that the view stopped reading at the size limit.
    """

    text = forms.CharField(
        label=_("Text of the minutes"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
    )
    file = forms.FileField(label=_("Or a file"), required=False)
    field_order = ["text", "file", "issuer", "disclosure", "replace"]

    def __init__(self, *args, oversized: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.oversized = oversized
        self.fields["text"].help_text = _(
            "Up to %(paste)s of pasted text; upload a longer text as a file."
        ) % {"paste": size_label(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
        self.fields["file"].help_text = _(
            "Up to %(size)s: plain text (UTF-8, GB18030 or UTF-16), Word (.docx) or PDF with "
            "a text layer."
        ) % {"size": size_label(settings.MINUTES_IMPORT_MAX_BYTES)}
        self.fields["file"].widget.attrs["accept"] = ",".join(
            [*SUPPORTED_SUFFIXES, "text/plain", "application/pdf"]
        )

    def clean(self):
        cleaned = super().clean()
        if self.oversized is not None:
            raise forms.ValidationError(
                _("The file “%(name)s” is larger than %(size)s, the most an import takes.")
                % {"name": self.oversized, "size": size_label(settings.MINUTES_IMPORT_MAX_BYTES)}
            )
        upload = cleaned.get("file")
        text = cleaned.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError(_("Paste the text or choose a file, not both."))
        if upload:
            if upload.size > settings.MINUTES_IMPORT_MAX_BYTES:
                raise forms.ValidationError(
                    _("The file “%(name)s” is larger than %(size)s, the most an import takes.")
                    % {"name": upload.name, "size": size_label(settings.MINUTES_IMPORT_MAX_BYTES)}
                )
            try:
                text = read_text_file(upload.read(), upload.name)
            except ReadError as error:
                raise forms.ValidationError(str(error)) from error
        if not text.strip():
            raise forms.ValidationError(_("Paste the text of the minutes or choose a file."))
        try:
            cleaned["parsed"] = parse_text(text)
        except ParseError as error:
            self.error_line = error.line
            where = upload.name if upload else _("the pasted text")
            raise forms.ValidationError(
                _("%(where)s, line %(line)s: %(message)s"),
                params={"where": where, "line": error.line, "message": error.message},
            ) from error
        cleaned["text"] = text
        return cleaned


class MergeOrganizationsForm(forms.Form):
    """Which of the selected organisations is the right one, the others merging into it."""

    target = forms.ModelChoiceField(
        label=_("Keep this one (the right name)"),
        queryset=Organization.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = organizations


class NameIssuerForm(forms.Form):
    """The issuer to give documents that name none."""

    issuer = forms.CharField(
        label=_("Issuer"),
        max_length=120,
        widget=forms.TextInput(attrs={"list": "known-issuers", "autocomplete": "off", "size": 40}),
        help_text=_("One of the known organizations, or a new name (it is created)."),
    )

    def clean_issuer(self):
        return " ".join(self.cleaned_data["issuer"].split())


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
