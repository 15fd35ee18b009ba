"""Bringing content in from elsewhere.

wxr.py reads a WordPress export into the dataclasses of wxr_export.py;
wp_markdown.py turns WordPress post HTML into the Markdown Inkwell's editor
keeps, with wpautop.py, shortcodes.py and wp_footnotes.py for what only
WordPress knows and markdown_writer.py for Inkwell's Markdown conventions.
None of them touches the database: the import command is built on them.

markdown_files.py (with front_matter.py) reads and writes the Markdown
folder of export_markdown and import_markdown; markdown_site.py moves the
blog into it and back.
"""
