"""Downloads: a document in its official forms, and the catalogue of a browse or a search.

Every download starts from the one door: a document the user may not see is the same 404 as one
that never existed, and a catalogue lists only what ``Meeting.objects.visible_to`` gives.
"""

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from minutes import exports
from minutes.forms import BrowseForm
from minutes.models import Meeting, sees_everything
from minutes.search.forms import SearchForm


def _document(request, pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related(
            "issuer", "compiled_office", "printed_office"
        ),
        pk=pk,
    )


def _attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _private_unless_public(response, meeting: Meeting):
    # A staff member's copy of a draft must not sit in a shared cache on the way.
    if not meeting.is_public:
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def meeting_pdf(request, pk):
    meeting = _document(request, pk)
    response = HttpResponse(exports.document_pdf(meeting), content_type=exports.PDF_CONTENT_TYPE)
    _private_unless_public(response, meeting)
    return _attachment(response, exports.export_filename(meeting, "pdf"))


@require_safe
def meeting_docx(request, pk):
    meeting = _document(request, pk)
    response = HttpResponse(exports.document_docx(meeting), content_type=exports.DOCX_CONTENT_TYPE)
    _private_unless_public(response, meeting)
    return _attachment(response, exports.export_filename(meeting, "docx"))


CATALOGUE_FORMATS = ("csv", "xlsx")


def _catalogue_response(request, documents, file_format: str, name: str):
    staff = sees_everything(request.user)
    columns = exports.catalogue_columns(staff=staff)
    rows = exports.catalogue_rows(
        documents, staff=staff, base_url=request.build_absolute_uri("/").rstrip("/")
    )
    if file_format == "xlsx":
        chunks = exports.xlsx_chunks(rows, columns, sheet_name=exports.catalogue_sheet_name())
        content_type = exports.XLSX_CONTENT_TYPE
    else:
        chunks = exports.csv_chunks(rows, columns)
        content_type = exports.CSV_CONTENT_TYPE
    response = StreamingHttpResponse(chunks, content_type=content_type)
    if staff:
        response["Cache-Control"] = "private, no-store"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _attachment(response, f"{name}-{stamp}.{file_format}")


@require_safe
def catalogue_export(request, file_format):
    """The browse page's documents (its year, kind and issuer filters), every page of them."""
    if file_format not in CATALOGUE_FORMATS:
        raise Http404
    filters = BrowseForm(request.GET).filters()
    documents = exports.browse_catalogue(Meeting.objects.visible_to(request.user).browse(**filters))
    return _catalogue_response(request, documents, file_format, _("minutes-catalogue"))


@require_safe
def search_export(request, file_format):
    """Every document a search finds (not one page of them), in the search's order."""
    if file_format not in CATALOGUE_FORMATS:
        raise Http404
    form = SearchForm(request.GET)
    ids = exports.search_hit_ids(request.user, form)
    documents = exports.documents_by_id(Meeting.objects.visible_to(request.user), ids)
    return _catalogue_response(request, documents, file_format, _("minutes-search"))
