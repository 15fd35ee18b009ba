"""Who is logging in, for django-axes's count of failed logins."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _


def client_address(request):
    """Return the address a login request came from.

    Behind a proxy (DJANGO_BEHIND_PROXY) every request comes from the proxy,
    so the address is the last one in X-Forwarded-For: the one the proxy
    itself added. Earlier ones were sent by the client and may be forged.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if forwarded[-1].strip():
            return forwarded[-1].strip()
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """Return the page a locked-out login gets, with the wait in minutes."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "title": _("Login locked"),
        "minutes": minutes,
        "login_url": reverse("admin:login"),
    }
    return render(
        request,
        "admin/login_locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
