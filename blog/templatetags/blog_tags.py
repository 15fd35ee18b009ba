import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

register = template.Library()

# The characters that could end a <script> element or open a comment inside
# it, escaped the way Django's json_script filter escapes them.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """Return `data` as a JSON-LD script element.

    Django's json_script filter only writes type="application/json", which
    search engines ignore; this is the same escaping with the JSON-LD type.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder).translate(JSON_SCRIPT_ESCAPES)
    # Safe: after the escaping above the JSON cannot close the element.
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )


@register.filter
def machine_datetime(value):
    """Return `value` in the current time zone as HTML's `datetime`
    attribute wants it: ISO 8601 to the second. Django's "c" format keeps
    microseconds, which HTML refuses (three digits at most).
    """
    if not value:
        return ""
    return localtime(value).replace(microsecond=0).isoformat()
