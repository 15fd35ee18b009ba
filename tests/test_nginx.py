"""deploy/'s nginx site file, run by a private nginx over TLS in front of the
app (Django's live server, debug off, DJANGO_BEHIND_PROXY's settings): pages
come through with the app's headers and are micro-cached for anonymous
readers only; nginx serves static and uploaded files itself, with the
headers that make uploads inert; uploads of several megabytes pass; login
attempts are rate-limited; Django learns the request was HTTPS.
"""

import gzip
import http.client
import json
import os
import socket
import ssl
import struct
import zlib
from io import BytesIO

import pytest
from PIL import Image

from deploy.nginx_sandbox import (
    nginx_missing,
    openssl_missing,
    running_nginx,
    self_signed_certificate,
)
from deploy.render_nginx import RenderError, client_max_body_size, render_site
from tests.factories import PostFactory

# nginx's HTTP and HTTPS ports: the first two free ones in this range.
PORTS = range(8150, 8200)
READER_CSP = "script-src 'none'"
MEDIA_CSP = "default-src 'none'; sandbox"


class Proxied:
    """The app behind nginx: requests over TLS to nginx's port."""

    def __init__(self, port, http_port, static_root, media_root):
        self.port = port
        self.http_port = http_port
        self.static_root = static_root
        self.media_root = media_root
        self.origin = f"https://127.0.0.1:{port}"

    def request(self, method, path, *, headers=None, body=None):
        context = ssl._create_unverified_context()
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=context, timeout=30
        )
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def get(self, path, **headers):
        return self.request("GET", path, headers=headers)


def free_ports(count):
    found = []
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    pytest.skip(f"No {count} free ports in {PORTS}.")


@pytest.fixture
def proxied(transactional_db, live_server, settings, tmp_path):
    why_not = nginx_missing() or openssl_missing()
    if why_not:
        if os.environ.get("CI"):
            pytest.fail(why_not)
        pytest.skip(why_not)
    # Production's answers to a proxy (config/settings.py with
    # DJANGO_BEHIND_PROXY=1): the live server reads settings per request.
    settings.BEHIND_PROXY = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    static_root = tmp_path / "static"
    static_root.mkdir()
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    certificate, key = self_signed_certificate(tmp_path)
    http_port, https_port = free_ports(2)
    site = render_site(
        server_name="127.0.0.1",
        upstream=live_server.url.removeprefix("http://"),
        static_root=static_root,
        media_root=settings.MEDIA_ROOT,
        cache_dir=tmp_path / "nginx" / "cache",
        tls_certificate=certificate,
        tls_certificate_key=key,
        https_listen=f"127.0.0.1:{https_port}",
        http_listen=f"127.0.0.1:{http_port}",
        # Long enough that a loaded machine cannot expire a page between
        # two requests; production's default is 1s.
        microcache_valid="30s",
    )
    with running_nginx(site, tmp_path / "nginx", port=https_port):
        yield Proxied(https_port, http_port, static_root, settings.MEDIA_ROOT)


def direct(live_server, path):
    """Ask the app itself, bypassing nginx."""
    host, port = live_server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def session_cookie(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", password="pw")
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def test_a_page_comes_through_with_the_apps_headers_over_https(proxied, live_server):
    PostFactory(title="Through the proxy")

    status, headers, body = proxied.get("/")

    assert status == 200
    assert b"Through the proxy" in body
    assert READER_CSP in headers["Content-Security-Policy"]
    assert headers.get_all("X-Frame-Options") == ["DENY"]
    assert headers.get_all("X-Content-Type-Options") == ["nosniff"]
    # Django sends HSTS only to a request it takes for HTTPS: nginx's
    # X-Forwarded-Proto reached it. Asked directly over HTTP, it sends none.
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    status, headers, _body = direct(live_server, "/")
    assert status == 200 and "Strict-Transport-Security" not in headers


def test_plain_http_is_redirected_to_https(proxied):
    connection = http.client.HTTPConnection("127.0.0.1", proxied.http_port, timeout=30)
    connection.request("GET", "/posts/a/?x=1")
    response = connection.getresponse()
    assert response.status == 301
    assert response.headers["Location"] == "https://127.0.0.1/posts/a/?x=1"


def test_the_second_anonymous_request_is_a_micro_cache_hit(proxied):
    PostFactory(title="Cached")

    statuses = [proxied.get("/")[1]["X-Cache-Status"] for _ in range(2)]
    feeds = [proxied.get("/feed/")[1]["X-Cache-Status"] for _ in range(2)]

    assert statuses == ["MISS", "HIT"]
    assert feeds == ["MISS", "HIT"]


def test_a_reader_with_a_session_bypasses_the_micro_cache(
    proxied, client, django_user_model
):
    PostFactory(title="Cached")
    cookie = session_cookie(client, django_user_model)

    logged_in = [proxied.get("/", Cookie=cookie)[1]["X-Cache-Status"] for _ in "ab"]
    anonymous = [proxied.get("/")[1]["X-Cache-Status"] for _ in "ab"]

    assert logged_in == ["BYPASS", "BYPASS"]
    # Nor did the logged-in pages land in the cache for others.
    assert anonymous == ["MISS", "HIT"]


def test_nginx_serves_static_files_itself_with_a_long_expiry(proxied, live_server):
    # These files exist only under nginx's static root: the app has none.
    (proxied.static_root / "css").mkdir()
    (proxied.static_root / "css" / "site.0123456789ab.css").write_text("body{}")
    (proxied.static_root / "css" / "site.css").write_text("body{}")

    hashed = proxied.get("/static/css/site.0123456789ab.css")
    plain = proxied.get("/static/css/site.css")

    assert hashed[0] == 200 and hashed[2] == b"body{}"
    assert hashed[1]["Content-Type"] == "text/css"
    assert hashed[1]["Cache-Control"] == "public, max-age=31536000, immutable"
    assert hashed[1]["X-Content-Type-Options"] == "nosniff"
    assert plain[1]["Cache-Control"] == "public, max-age=3600"
    assert "X-Cache-Status" not in hashed[1]
    assert direct(live_server, "/static/css/site.0123456789ab.css")[0] == 404


def test_nginx_serves_media_with_the_headers_that_make_it_inert(proxied):
    images = proxied.media_root / "images"
    images.mkdir()
    (images / "photo.png").write_bytes(png_bytes())
    (images / "page.html").write_text("<script>alert(1)</script>")

    status, image, body = proxied.get("/media/images/photo.png")
    _status, html, _body = proxied.get("/media/images/page.html")

    assert status == 200 and body == png_bytes()
    assert image["Content-Type"] == "image/png"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert image["Content-Security-Policy"] == MEDIA_CSP
    assert image["X-Frame-Options"] == "DENY"
    assert "Content-Disposition" not in image
    # Anything but an accepted image type is a download of no known type.
    assert html["Content-Type"] == "application/octet-stream"
    assert html["Content-Disposition"] == "attachment"
    assert html["X-Content-Type-Options"] == "nosniff"
    assert html["Content-Security-Policy"] == MEDIA_CSP


def test_an_upload_of_five_megabytes_passes_nginx_and_is_served(
    proxied, client, django_user_model
):
    image = png_bytes(padding=5 * 1024 * 1024)
    boundary = "inkwell-upload-boundary"
    body = (
        (
            f"--{boundary}\r\nContent-Disposition: form-data; name=image; "
            f'filename="big.png"\r\nContent-Type: image/png\r\n\r\n'
        ).encode()
        + image
        + f"\r\n--{boundary}--\r\n".encode()
    )
    token = "a" * 32
    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Cookie": f"{session_cookie(client, django_user_model)}; csrftoken={token}",
        "X-CSRFToken": token,
        # Django checks the Origin against the HTTPS address nginx forwards.
        "Origin": proxied.origin,
    }

    status, _headers, answer = proxied.request(
        "POST", "/markdownx/upload/", headers=headers, body=body
    )

    assert len(body) > 5 * 1024 * 1024
    assert status == 200, answer[:500]
    url = json.loads(answer)["image_code"].removeprefix("![](").removesuffix(")")
    served = proxied.get(url)
    assert served[0] == 200 and served[1]["Content-Type"] == "image/png"


def test_repeated_login_attempts_are_refused_with_429(proxied):
    statuses = [
        proxied.request("POST", "/admin/login/", body=b"username=a&password=b")[0]
        for _ in range(10)
    ]

    # The first and a burst of five reach the app (which refuses them for
    # their missing CSRF token); then nginx refuses before the app sees the
    # request. One more passes every six seconds.
    assert statuses[:6] == [403] * 6
    assert 429 in statuses[6:] and set(statuses[6:]) <= {403, 429}
    # Reading the form is not an attempt.
    assert proxied.get("/admin/login/")[0] == 200


def test_text_is_compressed_but_pages_with_tokens_are_not(proxied):
    PostFactory(title="Compressed", body="Words. " * 400)

    _status, page, body = proxied.get("/", **{"Accept-Encoding": "gzip"})
    _status, login, _body = proxied.get("/admin/login/", **{"Accept-Encoding": "gzip"})

    assert page["Content-Encoding"] == "gzip"
    assert b"Compressed" in gzip.decompress(body)
    assert "Content-Encoding" not in login


def png_bytes(padding=0):
    """Return a small PNG, with `padding` bytes in a private chunk that
    decoders skip (a camera's metadata looks like this): a big upload that
    is still a valid image.
    """
    output = BytesIO()
    Image.new("RGB", (64, 48), "teal").save(output, "PNG")
    data = output.getvalue()
    if not padding:
        return data
    kind = b"inKw"
    chunk = (
        struct.pack(">I", padding)
        + kind
        + bytes(padding)
        + struct.pack(">I", zlib.crc32(kind + bytes(padding)))
    )
    header_end = 8 + 25  # the signature and the IHDR chunk
    return data[:header_end] + chunk + data[header_end:]


def test_the_body_limit_is_the_upload_limit_plus_the_form(monkeypatch):
    assert client_max_body_size(10) == "12m"
    monkeypatch.setenv("INKWELL_UPLOAD_MAX_MB", "25")
    site = render_site(**SITE_VALUES)
    assert "client_max_body_size 27m;" in site
    assert "@" not in site.replace("'self'", "")


SITE_VALUES = {
    "server_name": "blog.example.com",
    "upstream": "unix:/run/inkwell/gunicorn.sock",
    "static_root": "/srv/inkwell/var/static",
    "media_root": "/srv/inkwell/var/media/",
    "cache_dir": "/var/cache/nginx/inkwell",
    "tls_certificate": "/etc/ssl/blog.pem",
    "tls_certificate_key": "/etc/ssl/blog.key",
}


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("media_root", "var/media", "--media-root must be an absolute path"),
        ("server_name", "blog.example.com; include /etc/x", "--server-name must"),
        ("upstream", "", "--upstream must be one word"),
    ],
)
def test_the_renderer_refuses_values_nginx_would_misread(name, value, message):
    with pytest.raises(RenderError, match=message):
        render_site(**{**SITE_VALUES, name: value})


def test_the_renderer_refuses_a_bad_upload_limit(monkeypatch):
    monkeypatch.setenv("INKWELL_UPLOAD_MAX_MB", "ten")
    with pytest.raises(RenderError, match="INKWELL_UPLOAD_MAX_MB must be"):
        render_site(**SITE_VALUES)
