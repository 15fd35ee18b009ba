"""The slow, pure half of an import, spread over the machine's cores:
converting WordPress HTML to Markdown, and rendering the Markdown to the
HTML Inkwell stores.

Neither step touches the database, so worker processes do them while the
import's one transaction stays in the parent. Workers are forked: they
inherit the export and the converter instead of receiving them pickled,
and hand back only strings. Small imports (and tests) stay in one process.
"""

import multiprocessing
import os
from dataclasses import dataclass

from blog.models import Post

# Below this many items a pool costs more than it saves.
POOL_MIN_ITEMS = 200
_CHUNK_SIZE = 16

# What the forked workers read; set in the parent just before the fork.
_work = None


@dataclass(frozen=True)
class ConvertedItem:
    body: str
    excerpt: str
    image_urls: tuple[str, ...]


def convert_items(converter, items, *, progress=None, processes=None):
    """Return a ConvertedItem for each item, in order.

    `progress(done, total)` is called as items finish.
    """
    return _map(_convert, (converter, items), len(items), progress, processes)


def render_posts(posts, *, progress=None, processes=None):
    """Return each saved post's rendered fields (Post.rendered_fields()), in
    order, as Post.save() would store them.
    """
    work = [(post.pk, post.slug, post.body, post.excerpt) for post in posts]
    return _map(_render, work, len(work), progress, processes)


def _convert(index):
    converter, items = _work
    item = items[index]
    body = converter.body(item)
    excerpt = converter.excerpt(item)
    return ConvertedItem(
        body=body.markdown,
        excerpt=excerpt.markdown,
        image_urls=tuple(dict.fromkeys(body.image_urls + excerpt.image_urls)),
    )


def _render(index):
    pk, slug, body, excerpt = _work[index]
    post = Post(pk=pk, slug=slug, body=body, excerpt=excerpt)
    post.render()
    return post.rendered_fields()


def _map(function, work, total, progress, processes):
    global _work
    processes = processes or min(os.cpu_count() or 1, 4)
    _work = work
    try:
        if processes < 2 or total < POOL_MIN_ITEMS:
            results = (function(index) for index in range(total))
            return _collect(results, total, progress)
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            results = pool.imap(function, range(total), chunksize=_CHUNK_SIZE)
            return _collect(results, total, progress)
    finally:
        _work = None


def _collect(results, total, progress):
    collected = []
    for result in results:
        collected.append(result)
        if progress:
            progress(len(collected), total)
    return collected
