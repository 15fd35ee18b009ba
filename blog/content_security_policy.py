"""Which Content-Security-Policy a response gets, by where it is served.

django-csp writes the header; this picks the policy. Readers' pages get
CONTENT_SECURITY_POLICY (no script at all), the admin gets
INKWELL_ADMIN_CONTENT_SECURITY_POLICY (its own and the editor's scripts, none
inline), and uploaded files get INKWELL_MEDIA_CONTENT_SECURITY_POLICY (inert).
A view that sets its own policy with django-csp's decorators keeps it.
"""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.urls import reverse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        setting = policy_setting_for(request.path_info)
        if setting:
            parts.config = default_config(getattr(settings, setting)["DIRECTIVES"])
        return parts


def policy_setting_for(path):
    """Return the name of the setting that holds the policy for `path`, or
    None for the readers' default.
    """
    if path.startswith(reverse("admin:index")):
        return "INKWELL_ADMIN_CONTENT_SECURITY_POLICY"
    if path.startswith("/" + settings.MEDIA_URL.lstrip("/")):
        return "INKWELL_MEDIA_CONTENT_SECURITY_POLICY"
    return None
