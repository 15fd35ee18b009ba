"""The admin's post and page forms: Markdown within the size limit, and
renderable.

Rendering runs inside the save request, so a body past the limit is refused
before it is rendered, with a message beside the field; so is a body the
pipeline fails on (a bug, not the author's fault). Either way the author's
text stays in the form.
"""

import logging
import math

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

from blog import social_images
from blog.models import Page, Post, SiteIdentity
from blog.rendering import render_post

logger = logging.getLogger(__name__)


def size_error(text):
    """Return why `text` is too large to render, or "" when it is not."""
    limit_kb = settings.INKWELL_MAX_BODY_KB
    size_kb = len(text.encode("utf-8")) / 1024
    if size_kb <= limit_kb:
        return ""
    return _(
        "This text is %(size)d KB; the limit is %(limit)d KB. Shorten it, or "
        "split it into several posts."
    ) % {"size": math.ceil(size_kb), "limit": limit_kb}


def renderable(text, *, field, document="post"):
    """Return `text` when it is within the size limit and renders; raise a
    ValidationError with a message for the author otherwise.
    """
    too_large = size_error(text)
    if too_large:
        raise forms.ValidationError(too_large, code="too_large")
    try:
        render_post(text) if field == "body" else render_post("", excerpt=text)
    except Exception:
        logger.exception("Rendering the %s of a %s failed.", field, document)
        raise forms.ValidationError(
            _(
                "This text could not be turned into HTML, so it was not "
                "saved. Your text is still here: copy it somewhere safe, "
                "and tell the site's administrator."
            ),
            code="render_failed",
        ) from None
    return text


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = [
            "title", "slug", "body", "excerpt", "continue_text", "status",
            "published_at", "tags", "social_image",
        ]  # fmt: skip

    def clean_body(self):
        return renderable(self.cleaned_data["body"], field="body")

    def clean_excerpt(self):
        return renderable(self.cleaned_data["excerpt"], field="excerpt")

    def clean_social_image(self):
        # Checked and re-encoded as the editor's uploads are.
        return social_images.cleaned_upload(self.cleaned_data["social_image"])


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = [
            "title", "slug", "parent", "body", "status", "show_in_navigation",
            "navigation_order",
        ]  # fmt: skip

    def clean_body(self):
        return renderable(self.cleaned_data["body"], field="body", document="page")


class SiteIdentityForm(forms.ModelForm):
    class Meta:
        model = SiteIdentity
        fields = [
            "title", "tagline", "author_name", "author_bio", "footer_text",
            "default_social_image",
        ]  # fmt: skip

    def clean_default_social_image(self):
        return social_images.cleaned_upload(self.cleaned_data["default_social_image"])
