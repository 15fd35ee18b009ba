"""When the search index is written: after the response, inside a request.

Indexing a post's new text parses all of it (a few milliseconds for a
long post), which an author saving in the admin would otherwise wait for.
So, inside a request (from request_started to request_finished, which the
WSGI server sends from the response's close(), once the body is sent), the
index writes that saves (every save: the old text is not read back to
compare), deletions and tagging ask for are noted when their transaction
commits (a rolled-back save notes nothing) and made at
request_finished, each database's posts and pages in a short transaction
of its own. A write reads the rows as they are then (blog.search_index),
so repeats and order do not matter. It bumps the content version, as
every write readers could see does: a search page kept between the save's
commit and the write (under the save's version, with the old index) is
not served after it.

Outside a request (commands, the shell, imports, migrations, the demo
loader, tests that call save()), the index is written at once, in the
caller's transaction, with the row.

A write that fails after the response (the database went away) is logged
with its ids; `manage.py rerender_posts` rebuilds the whole index.
Connected by the app at start-up (blog.apps). Imports search_index,
content_version.
"""

import logging
import threading
from functools import partial

from django.db import transaction

from blog import content_version, search_index

logger = logging.getLogger(__name__)

# One request at a time per thread: the WSGI server's threads each have
# their own queue, {database alias: {"post" or "page": ids}}, or None
# outside a request.
_local = threading.local()


def index_posts(ids, *, using):
    """Index these posts again: after the response inside a request, at
    once outside one."""
    _index("post", ids, using)


def index_pages(ids, *, using):
    """Index these pages again, as index_posts does posts."""
    _index("page", ids, using)


def stored_source(doc, *, using):
    """Return what search_index.needs_indexing() compares a saved `doc`
    with: search_index.stored_source() outside a request; None inside one,
    so that the save asks for a write.

    Inside a request the write is made after the response anyway, and
    reading the old text back before the save was most of what the index
    still cost the save (a PostgreSQL round trip with some 10 KB of text).
    """
    if _queue() is not None:
        return None
    return search_index.stored_source(doc, using=using)


def open_queue(**kwargs):
    """At request_started: note the writes the request asks for from now.

    A queue a request left unwritten (one whose close() never came) is
    kept, and written at the end of this one.
    """
    if _queue() is None:
        _local.queue = {}


def write_queued(**kwargs):
    """At request_finished: make the writes the request asked for."""
    queue, _local.queue = _queue(), None
    for using, ids_by_kind in (queue or {}).items():
        try:
            _write(ids_by_kind, using)
        except Exception:
            # Never into the WSGI server: the response is sent already.
            logger.exception(
                "The search index of the %s (database %r) was not written "
                "after the response; `manage.py rerender_posts` rebuilds it.",
                " and ".join(
                    f"{kind}s {sorted(ids)}" for kind, ids in ids_by_kind.items()
                ),
                using,
            )


def _index(kind, ids, using):
    ids = list(ids)
    if not ids:
        return
    if _queue() is None:
        _index_kind(kind, ids, using)
    else:
        transaction.on_commit(partial(_note, kind, ids, using), using=using)


def _note(kind, ids, using):
    queue = _queue()
    if queue is None:
        # The request ended before this transaction committed: write now.
        _write({kind: ids}, using)
    else:
        queue.setdefault(using, {}).setdefault(kind, set()).update(ids)


def _write(ids_by_kind, using):
    """Index these posts and pages, {"post" or "page": ids}, in a
    transaction of their own, and bump the content version with them."""
    with transaction.atomic(using=using):
        for kind, ids in ids_by_kind.items():
            _index_kind(kind, sorted(ids), using)
        content_version.bump()


def _index_kind(kind, ids, using):
    # Looked up at each call: a benchmark leaves the index out by patching.
    index = search_index.index_posts if kind == "post" else search_index.index_pages
    index(ids, using=using)


def _queue():
    return getattr(_local, "queue", None)
