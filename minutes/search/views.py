"""The search page and its JSON twin: one form, one search request, rows through the one door."""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from minutes.errors import bad_parameter
from minutes.search.forms import SearchForm
from minutes.search.results import doc_number_match, run_search


def search(request):
    form = SearchForm(request.GET)
    meeting = doc_number_match(request.user, form)
    if meeting is not None:
        return redirect(meeting)
    results = run_search(request.user, form)
    return render(request, "search/search.html", {"form": form, "results": results})


def api_search(request):
    """The page's search as JSON; a parameter it cannot read is a 400 that names it."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        message = _("“%(name)s”: %(message)s") % {"name": name, "message": errors[0]}
        return bad_parameter(name, message)
    results = run_search(request.user, form)
    return JsonResponse(results.as_json(request), json_dumps_params={"ensure_ascii": False})
