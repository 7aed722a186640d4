"""Errors in the site's own voice: a styled page for a person, JSON for the API.

Django calls these for 400, 403, 404 and 500 (``handler…`` in minutes_site.urls); the views
call ``method_not_allowed`` for a wrong method and ``gone`` for a withdrawn document. Every
path under /api/ answers in JSON, whatever went wrong.
"""

from functools import wraps

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(status: int, code: str, message: str, **details) -> JsonResponse:
    """The API's one shape of error: ``{"status", "error", "message", …}``."""
    return JsonResponse(
        {"status": status, "error": code, "message": str(message), **details},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def bad_parameter(name: str, message: str) -> JsonResponse:
    """A query parameter the API cannot read, named with what it expects."""
    return json_error(400, "bad_parameter", message, parameter=name)


@requires_csrf_token
def bad_request(request, exception):
    if is_api(request):
        return json_error(400, "bad_request", _("The request could not be understood."))
    return defaults.bad_request(request, exception)


@requires_csrf_token
def permission_denied(request, exception):
    if is_api(request):
        return json_error(403, "forbidden", _("You may not see this."))
    return defaults.permission_denied(request, exception)


@requires_csrf_token
def page_not_found(request, exception):
    # The same answer for a hidden document and an address that never existed: nothing
    # of the request (not even its path) is echoed, so the two are byte for byte equal.
    if is_api(request):
        return json_error(404, "not_found", _("There is nothing at this address."))
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    """500.html stands alone (no base.html, no database): it renders when the database is down."""
    if is_api(request):
        return json_error(500, "server_error", _("The server failed; please try again later."))
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    """A form sent without its token (usually an expired page): say so, in the site's page."""
    return render(request, "403_csrf.html", status=403)


def method_not_allowed(request, allowed: list[str]):
    """405 with its Allow header: a page that explains, or JSON under /api/."""
    if is_api(request):
        response = json_error(
            405,
            "method_not_allowed",
            _("This address answers only %(methods)s.") % {"methods": ", ".join(allowed)},
        )
    else:
        response = render(request, "405.html", {"allowed": allowed}, status=405)
    response["Allow"] = ", ".join(allowed)
    return response


def gone(request, since):
    """410 for a document that was public and no longer is: when, and nothing of its content."""
    if is_api(request):
        return json_error(
            410,
            "gone",
            _("This document is no longer published."),
            withdrawn_at=since.isoformat() if since else None,
        )
    return render(request, "410.html", {"since": since}, status=410)


def allow(*methods):
    """Like Django's require_http_methods, but the refusal is the site's 405 (page or JSON)."""
    allowed = list(methods) + (["HEAD"] if "GET" in methods and "HEAD" not in methods else [])

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in allowed:
                return method_not_allowed(request, allowed)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
