"""Every link from the index and a post page resolves."""

from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from blog.models import Post
from tests.html import parse

pytestmark = pytest.mark.django_db


def crawl(client, start_urls, limit=150):
    """Follow internal links breadth first; return {url: status} seen."""
    seen = {}
    queue = deque(start_urls)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code in (301, 302):
            queue.append(response["Location"])
        if response.get("Content-Type", "").startswith("text/html"):
            for link in parse(response).links:
                link = internal_path(link)
                if link and link not in seen:
                    queue.append(link)
    return seen


def internal_path(link):
    link, _fragment = urldefrag(link)
    parts = urlsplit(link)
    if parts.scheme and parts.netloc != "127.0.0.1:8000":
        return None
    if link == "" or parts.scheme == "mailto":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_every_link_from_the_index_and_a_post_page_resolves(client, demo_blog):
    post = Post.objects.published().featured().first()

    seen = crawl(client, ["/", post.get_absolute_url()])

    broken = {url: status for url, status in seen.items() if status >= 400}
    assert broken == {}
    assert len(seen) > 30
    assert {"/tags/", "/archive/", post.get_absolute_url()} <= set(seen)
    assert any(url.startswith("/archive/") and url.count("/") == 4 for url in seen)
