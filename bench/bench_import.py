"""Time importing a large WordPress export into a fresh SQLite database.

Run from the project folder:

    .venv/bin/python bench/bench_import.py              # 10,000 posts
    .venv/bin/python bench/bench_import.py --posts 500

It writes a WXR 1.2 file of N block-editor posts of about 1,500 words each
(headings, code blocks in C and assembly, WordPress 6.3 core footnotes, a
cut) to a temporary folder, then times reading it (`read_export`) and
importing it (`import_wordpress`'s work: converting to Markdown, saving,
rendering, tags, old addresses) into a new SQLite database with the
production settings (debug off, WAL), and prints the figures. The folder is
deleted afterwards. Target: the whole import of 10,000 posts under 5
minutes on a 2-core machine.
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.wxr_files import WXR_OPENING  # noqa: E402

HEADER = (
    WXR_OPENING
    + """<channel>
<title>Bench</title>
<link>https://bench.example.com</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://bench.example.com</wp:base_site_url>
<wp:base_blog_url>https://bench.example.com</wp:base_blog_url>
<wp:author><wp:author_login>ada</wp:author_login></wp:author>
"""
)
FOOTER = "</channel>\n</rss>\n"
PARAGRAPH = (
    "The compiler turns a <em>small</em> function into a handful of "
    "instructions, and the <code>calling convention</code> decides which "
    "registers carry the arguments, which the callee must preserve, and where "
    "the result goes; reading the output of <strong>gcc -S</strong> is the "
    "quickest way to see it."
)  # 45 words
CODE = [
    ("c", "static int add(int a, int b)\n{\n    return a &lt; b ? b : a;\n}"),
    ("asm", "add:\n    leal (%rdi,%rsi), %eax\n    ret"),
]


def post_content(number, words):
    """Return block-editor HTML of about `words` words, and its footnotes."""
    parts, notes = [], []
    for index in range(max(1, words // 45)):
        if index % 8 == 0:
            parts.append(
                "<!-- wp:heading -->\n"
                f'<h2 class="wp-block-heading">Section {index // 8 + 1}</h2>\n'
                "<!-- /wp:heading -->"
            )
        footnote = ""
        if index % 10 == 3:
            note_id = f"{number}-{index}"
            notes.append({"id": note_id, "content": f"Note <em>{index}</em>."})
            footnote = (
                f'<sup data-fn="{note_id}" class="fn"><a href="#{note_id}" '
                f'id="{note_id}-link">{len(notes)}</a></sup>'
            )
        parts.append(
            f"<!-- wp:paragraph -->\n<p>{PARAGRAPH}{footnote}</p>\n"
            "<!-- /wp:paragraph -->"
        )
        if index == 1:
            parts.append("<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->")
        if index % 6 == 5:
            language, code = CODE[index % 2]
            parts.append(
                f'<!-- wp:code {{"language":"{language}"}} -->\n'
                f'<pre class="wp-block-code"><code>{code}</code></pre>\n'
                "<!-- /wp:code -->"
            )
    parts.append("<!-- wp:footnotes /-->")
    return "\n\n".join(parts), notes


def item_xml(number, words):
    content, notes = post_content(number, words)
    return f"""<item>
<title>Post {number}</title>
<link>https://bench.example.com/{2000 + number % 25}/01/post-{number}/</link>
<dc:creator><![CDATA[ada]]></dc:creator>
<guid isPermaLink="false">https://bench.example.com/?p={number}</guid>
<content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{number}</wp:post_id>
<wp:post_date>2020-01-01 10:00:00</wp:post_date>
<wp:post_date_gmt>2020-01-01 09:00:00</wp:post_date_gmt>
<wp:post_name>post-{number}</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_parent>0</wp:post_parent>
<wp:menu_order>0</wp:menu_order>
<wp:post_type>post</wp:post_type>
<wp:is_sticky>0</wp:is_sticky>
<category domain="post_tag" nicename="c"><![CDATA[C]]></category>
<wp:postmeta><wp:meta_key>footnotes</wp:meta_key>
<wp:meta_value><![CDATA[{json.dumps(notes)}]]></wp:meta_value></wp:postmeta>
</item>
"""


def write_export(path, posts, words):
    with open(path, "w", encoding="utf-8") as export:
        export.write(HEADER)
        for number in range(1, posts + 1):
            export.write(item_xml(number, words))
        export.write(FOOTER)


def setup_django(folder):
    """Start Django with the production settings on a new SQLite database."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="bench-only-not-a-secret",
        SITE_URL="https://bench.example.com",
        DJANGO_ALLOWED_HOSTS="bench.example.com",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
    )
    os.environ.pop("DJANGO_DEBUG", None)
    os.environ.pop("REDIS_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


class Stages:
    """Record when each stage of the import reports its last item."""

    def __init__(self):
        self.finished = {}

    def __call__(self, stage, done, total):
        if done == total:
            self.finished[stage] = time.perf_counter()


def cpu_seconds():
    """Return the CPU time of this process and its finished workers."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return sum(usage.ru_utime + usage.ru_stime for usage in (own, workers))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=1_500)
    parser.add_argument(
        "--processes", type=int, default=None, help="Worker processes (default: cores)."
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        setup_django(folder)
        from blog.importers.wordpress import import_export
        from blog.importers.wxr import read_export
        from blog.models import Post

        path = folder / "export.xml"
        started = time.perf_counter()
        write_export(path, args.posts, args.words)
        written = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6

        started, cpu = time.perf_counter(), cpu_seconds()
        export = read_export(path)
        parsed = time.perf_counter()
        stages = Stages()
        summary = import_export(export, progress=stages, processes=args.processes)
        finished, cpu = time.perf_counter(), cpu_seconds() - cpu
        posts = Post.objects.count()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    converted = stages.finished.get("converted", parsed)
    rendered = stages.finished.get("rendered", converted)
    print(f"export: {posts:,} posts of ~{args.words:,} words, {size_mb:,.1f} MB")
    print(f"  written in {written:.1f} s (not part of the import)")
    # CPU time too (workers included): on a shared machine, wall time
    # includes others' work.
    for stage, seconds in [
        ("parse", parsed - started),
        ("convert", converted - parsed),
        ("save and render", rendered - converted),
        ("tags, slots, old addresses", finished - rendered),
    ]:
        print(f"  {stage + ':':28}{seconds:7.1f} s wall")
    total = finished - started
    print(
        f"  {'total:':28}{total:7.1f} s wall ({total / posts * 1000:.1f} ms/post), "
        f"{cpu:.1f} s CPU; target under 300 s"
    )
    print(f"  old addresses: {summary.redirects_total:,} redirects")
    print(f"  peak memory: {peak_mb:,.0f} MB (parent process)")


if __name__ == "__main__":
    main()
