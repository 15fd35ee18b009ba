"""The headers that protect readers and the author whatever a post holds.

Content-Security-Policy by where a response is served (readers' pages, the
admin, uploaded files), the other security headers, and the production
settings that `manage.py check --deploy` looks at.
"""

import ast
import secrets

import pytest
from django.test import Client
from django.urls import path

from blog.media_files import serve_media
from config import urls as site_urls
from tests.factories import PageFactory, PostFactory, TagFactory
from tests.test_settings import run_python

pytestmark = pytest.mark.django_db

# The site with uploaded files served as in development (config/urls.py adds
# this route only when DEBUG is on).
urlpatterns = [path("media/<path:path>", serve_media), *site_urls.urlpatterns]


def directives(response):
    """Return the response's policy as {directive: [sources]}."""
    policy = response["Content-Security-Policy"]
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.fixture
def blog(db):
    tag = TagFactory(name="C", slug="c")
    PostFactory(title="Hello", slug="hello", tags=[tag])
    PageFactory(title="About", slug="about")


READERS_PAGES = [
    "/",
    "/posts/hello/",
    "/tags/",
    "/tags/c/",
    "/archive/",
    "/about/",
    "/feed/",
    "/sitemap.xml",
    "/robots.txt",
    "/no-such-page/",
]


@pytest.mark.parametrize("url", READERS_PAGES)
def test_readers_pages_allow_no_script_at_all(blog, client, url):
    policy = directives(client.get(url))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["style-src"] == ["'self'"]


def test_readers_pages_show_remote_images_as_posts_may(blog, client):
    policy = directives(client.get("/posts/hello/"))

    assert policy["img-src"] == ["'self'", "https:", "http:"]


def test_a_404_has_the_readers_policy(blog, client):
    response = client.get("/posts/no-such-post/")

    assert response.status_code == 404
    assert directives(response)["script-src"] == ["'none'"]


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/blog/post/", "/admin/blog/post/add/", "/admin/login/"]
)
def test_the_admin_runs_only_its_own_scripts(blog, admin_client, url):
    policy = directives(admin_client.get(url))

    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response_sources(policy)
    assert "'unsafe-eval'" not in response_sources(policy)


def response_sources(policy):
    return [source for sources in policy.values() for source in sources]


@pytest.mark.parametrize(
    "url",
    ["/", "/posts/hello/", "/feed/", "/admin/", "/admin/blog/post/add/"],
)
def test_every_response_has_the_other_security_headers(blog, admin_client, url):
    response = admin_client.get(url)

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.fixture
def media_files(media_root, settings):
    settings.ROOT_URLCONF = __name__
    images = media_root / "images"
    images.mkdir(parents=True)
    (images / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (images / "page.html").write_text("<script>alert(1)</script>")
    (images / "drawing.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    return images


@pytest.mark.parametrize("name", ["pic.png", "page.html", "drawing.svg"])
def test_an_uploaded_file_opened_directly_is_inert(media_files, name):
    response = Client().get(f"/media/images/{name}")

    assert response.status_code == 200
    assert directives(response) == {"default-src": ["'none'"], "sandbox": []}
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_uploaded_image_is_shown(media_files):
    response = Client().get("/media/images/pic.png")

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")


@pytest.mark.parametrize("name", ["page.html", "drawing.svg"])
def test_an_uploaded_file_that_is_no_accepted_image_is_a_download(media_files, name):
    response = Client().get(f"/media/images/{name}")

    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_a_media_path_that_climbs_out_of_the_media_folder_is_refused(media_files):
    client = Client(raise_request_exception=False)

    for url in ("/media/../settings.py", "/media/images/%2e%2e/%2e%2e/x"):
        assert client.get(url).status_code == 400


PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "blog.example.com",
    "SITE_URL": "https://blog.example.com",
}


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        PRODUCTION,
        tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout
    assert "WARNING" not in result.stderr


def production_settings(names, tmp_path, **env):
    """Return {name: repr(value)} of the settings a production process
    reads from the environment (PRODUCTION, with env), in one start of
    Python.
    """
    expressions = ", ".join(f"repr(s.{name})" for name in names)
    result = run_python(
        ["-c", f"import config.settings as s; print(repr([{expressions}]))"],
        {**PRODUCTION, **env},
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    return dict(zip(names, ast.literal_eval(result.stdout), strict=True))


def test_production_sends_hsts_for_a_year_with_subdomains(tmp_path):
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    ]

    assert production_settings(names, tmp_path) == {
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
        "SECURE_HSTS_PRELOAD": "False",
        "SECURE_SSL_REDIRECT": "True",
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
    }


def test_an_operator_may_change_hsts_and_the_redirect(tmp_path):
    env = {"DJANGO_HSTS_SECONDS": "300", "DJANGO_SSL_REDIRECT": "0"}
    names = ["SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT"]

    assert production_settings(names, tmp_path, **env) == {
        "SECURE_HSTS_SECONDS": "300",
        "SECURE_SSL_REDIRECT": "False",
    }


def test_the_proxy_header_is_trusted_only_behind_a_proxy(tmp_path):
    names = ["BEHIND_PROXY", "__dict__.get('SECURE_PROXY_SSL_HEADER')"]
    behind = production_settings(
        ["SECURE_PROXY_SSL_HEADER"], tmp_path, DJANGO_BEHIND_PROXY="1"
    )

    assert list(production_settings(names, tmp_path).values()) == ["False", "None"]
    assert behind["SECURE_PROXY_SSL_HEADER"] == repr(
        ("HTTP_X_FORWARDED_PROTO", "https")
    )


def test_remote_images_may_be_turned_off(tmp_path):
    name = 'CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]'
    img_src = production_settings([name], tmp_path, INKWELL_CSP_REMOTE_IMAGES="0")

    assert img_src[name] == "[\"'self'\"]"
