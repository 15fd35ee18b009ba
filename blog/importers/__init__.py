"""Bringing content in from elsewhere.

wxr.py reads a WordPress export into plain dataclasses; wp_markdown.py turns
WordPress post HTML into the Markdown Inkwell's editor keeps, with wpautop.py
and shortcodes.py for what only WordPress knows. None of them touches the
database: the command that imports is built on them.
"""
