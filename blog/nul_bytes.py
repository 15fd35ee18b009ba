"""Refuse a request whose address carries a NUL character.

No Inkwell address has one, and PostgreSQL cannot store or compare text that
holds one: on PostgreSQL the admin's status filter (`?status=%00` on the
pages) and its tag autocomplete (`?term=%00`) passed it to the database and
answered 500. Answer 400 before any view runs.
"""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

NUL = "\x00"


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            return HttpResponseBadRequest(
                _(
                    "This address contains a NUL character, which no page of "
                    "this site has. Remove it and try again."
                ),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def has_nul(request):
    """Return whether the request's path or query string holds a NUL."""
    if NUL in request.path:
        return True
    return any(
        NUL in key or any(NUL in value for value in values)
        for key, values in request.GET.lists()
    )
