"""The search page and its JSON twin: one form, one backend query, rows through the one door."""

from django.http import JsonResponse
from django.shortcuts import redirect, render

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
    form = SearchForm(request.GET)
    results = run_search(request.user, form, doc_number_first=True)
    return JsonResponse(results.as_json(request), json_dumps_params={"ensure_ascii": False})
