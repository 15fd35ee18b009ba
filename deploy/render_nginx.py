"""Fill in deploy/nginx-site.conf.template: the nginx site file for Inkwell.

    .venv/bin/python deploy/render_nginx.py --server-name blog.example.com \\
        --static-root /srv/inkwell/var/static --media-root /srv/inkwell/var/media \\
        --tls-certificate /etc/letsencrypt/live/blog.example.com/fullchain.pem \\
        --tls-certificate-key /etc/letsencrypt/live/blog.example.com/privkey.pem \\
        > /etc/nginx/sites-available/inkwell

The upload limit comes from INKWELL_UPLOAD_MAX_MB, as the app's does. Every
value is checked before it is written: a value nginx would read as more than
one word, or a relative path, is refused with the option's name.
"""

import argparse
import os
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx-site.conf.template"
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
# What the app accepts without INKWELL_UPLOAD_MAX_MB (config/settings.py).
DEFAULT_UPLOAD_MAX_MB = 10
# Room for the multipart form around an uploaded image, and for a body the
# admin's form posts (INKWELL_MAX_BODY_KB, 1 MB by default).
FORM_OVERHEAD_MB = 2
PATH_VALUES = {
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "CACHE_DIR",
    "TLS_CERTIFICATE",
    "TLS_CERTIFICATE_KEY",
}


class RenderError(ValueError):
    """A value the site file cannot take; the message says which and why."""


def client_max_body_size(upload_max_mb):
    """Return nginx's body limit for uploads of upload_max_mb megabytes."""
    return f"{upload_max_mb + FORM_OVERHEAD_MB}m"


def upload_max_mb_from_environment():
    raw = os.environ.get("INKWELL_UPLOAD_MAX_MB", "").strip()
    if not raw:
        return DEFAULT_UPLOAD_MAX_MB
    if not raw.isdigit() or int(raw) < 1:
        raise RenderError(
            f"INKWELL_UPLOAD_MAX_MB must be a whole number of megabytes, not {raw!r}."
        )
    return int(raw)


def render_site(
    *,
    server_name,
    upstream,
    static_root,
    media_root,
    cache_dir,
    tls_certificate,
    tls_certificate_key,
    https_listen="443",
    http_listen="80",
    upload_max_mb=None,
    microcache_valid="1s",
):
    """Return the site file with every placeholder filled in."""
    if upload_max_mb is None:
        upload_max_mb = upload_max_mb_from_environment()
    values = {
        "SERVER_NAME": server_name,
        "UPSTREAM": upstream,
        "STATIC_ROOT": str(static_root).rstrip("/"),
        "MEDIA_ROOT": str(media_root).rstrip("/"),
        "CACHE_DIR": str(cache_dir).rstrip("/"),
        "TLS_CERTIFICATE": str(tls_certificate),
        "TLS_CERTIFICATE_KEY": str(tls_certificate_key),
        "HTTPS_LISTEN": str(https_listen),
        "HTTP_LISTEN": str(http_listen),
        "CLIENT_MAX_BODY_SIZE": client_max_body_size(upload_max_mb),
        "MICROCACHE_VALID": microcache_valid,
    }
    for name, value in values.items():
        check_value(name, value)
    template = TEMPLATE.read_text()
    missing = set(PLACEHOLDER.findall(template)) - set(values)
    if missing:
        raise RenderError(f"The template needs values for {sorted(missing)}.")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def check_value(name, value):
    option = "--" + name.lower().replace("_", "-")
    if not value or re.search(r"[\s;{}#'\"$]", value):
        raise RenderError(
            f"{option} must be one word without spaces, quotes, ';', '{{', "
            f"'}}', '#' or '$', not {value!r}."
        )
    if name in PATH_VALUES and not value.startswith("/"):
        raise RenderError(f"{option} must be an absolute path, not {value!r}.")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-name", required=True, help="blog.example.com")
    parser.add_argument(
        "--upstream",
        default="127.0.0.1:8000",
        help="gunicorn's address: host:port or unix:/path/to.sock",
    )
    parser.add_argument("--static-root", required=True, help="STATIC_ROOT")
    parser.add_argument("--media-root", required=True, help="MEDIA_ROOT")
    parser.add_argument("--cache-dir", default="/var/cache/nginx/inkwell")
    parser.add_argument("--tls-certificate", required=True)
    parser.add_argument("--tls-certificate-key", required=True)
    parser.add_argument("--https-listen", default="443")
    parser.add_argument("--http-listen", default="80")
    parser.add_argument(
        "--microcache-valid",
        default="1s",
        help="how long a page that sends no Cache-Control is kept",
    )
    parser.add_argument("--output", type=Path, help="write here, not to stdout")
    args = parser.parse_args(argv)
    try:
        text = render_site(
            server_name=args.server_name,
            upstream=args.upstream,
            static_root=args.static_root,
            media_root=args.media_root,
            cache_dir=args.cache_dir,
            tls_certificate=args.tls_certificate,
            tls_certificate_key=args.tls_certificate_key,
            https_listen=args.https_listen,
            http_listen=args.http_listen,
            microcache_valid=args.microcache_valid,
        )
    except RenderError as error:
        sys.exit(str(error))
    if args.output:
        args.output.write_text(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
