"""Markdown to sanitized HTML: the only place Inkwell makes HTML.

A post is rendered once, when it is saved, and the result is stored with its
excerpt, word count, description and feed copies; pages and feeds only show
what is stored, so no request runs Markdown or parses HTML. The admin's live
preview goes through `render_preview`, the same pipeline, so what the author
previews is byte for byte what saving stores. See pipeline.py for the steps.
"""

from blog.rendering.links import absolute_url
from blog.rendering.pipeline import PREVIEW_KEY, RenderedPost, render_post
from blog.rendering.preview import render_preview

__all__ = [
    "PREVIEW_KEY",
    "RenderedPost",
    "absolute_url",
    "render_post",
    "render_preview",
]
