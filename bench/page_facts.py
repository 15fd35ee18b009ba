"""Which pages the serving benchmark loads, and the SQL queries each costs.

Run by bench/bench_serve.py in a process of its own, with the site's
settings and the benchmark database in the environment; prints JSON: for
each page its name, path, status, size, and the queries of a first request
(not in the page cache; the site identity and navigation are cached, as on
a running site) and of a second one (which the page cache, when on,
answers). Counted in-process with Django's test client under
CaptureQueriesContext, so no server is involved.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def chosen_pages():
    """Return [(name, path)]: index, page 2, a deep page, a post halfway
    down the blog, a tag, the year archive of that post, the RSS feed.
    """
    from django.conf import settings
    from django.urls import reverse

    from blog.models import Post, Tag

    visible = Post.objects.published().order_by("-published_at")
    count = visible.count()
    middle = visible[count // 2]
    deep = max(2, count // settings.INKWELL_PAGE_SIZE // 2)
    tag = Tag.objects.order_by("slug").first()
    return [
        ("index", reverse("blog:index")),
        ("page 2", reverse("blog:index_page", kwargs={"page": 2})),
        (f"page {deep}", reverse("blog:index_page", kwargs={"page": deep})),
        ("post", middle.get_absolute_url()),
        ("tag", reverse("blog:tag_detail", kwargs={"slug": tag.slug})),
        (
            "archive",
            reverse("blog:archive_year", kwargs={"year": middle.published_at.year}),
        ),
        ("feed", reverse("blog:feed_rss")),
    ]


def page_facts():
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    cache.clear()
    # What a running site has cached anyway (the site identity, the
    # navigation), so that only each page's own queries are counted.
    client.get("/tags/")
    facts = []
    for name, path in chosen_pages():
        counts = []
        for _attempt in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            counts.append(len(queries))
        facts.append(
            {
                "name": name,
                "path": path,
                "status": response.status_code,
                "bytes": len(response.content),
                "content_type": response["Content-Type"],
                "queries_first": counts[0],
                "queries_repeat": counts[1],
            }
        )
    return facts


def main():
    import django

    django.setup()
    print(json.dumps(page_facts()))


if __name__ == "__main__":
    main()
