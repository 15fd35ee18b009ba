"""Bringing content in from elsewhere.

wxr.py reads a WordPress export into the dataclasses of wxr_export.py;
wp_markdown.py turns WordPress post HTML into the Markdown Inkwell's editor
keeps, with wpautop.py, shortcodes.py and wp_footnotes.py for what only
WordPress knows and markdown_writer.py for Inkwell's Markdown conventions.
None of them touches the database.

The database side of a WordPress import is built on them: wordpress.py
writes posts, pages and featured slots in one transaction, with
wp_authors.py (users), wp_tags.py (tags), wp_content.py (converting and
rendering across worker processes), wp_media.py (images), wp_redirects.py
(old addresses) and wp_summary.py (what it did, in words).

markdown_files.py (with front_matter.py) reads and writes the Markdown
folder of export_markdown and import_markdown; markdown_site.py moves the
blog into it and back.
"""
