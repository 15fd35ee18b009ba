"""Where uploaded media live, read from the environment: files under
MEDIA_ROOT (the default), or an S3-compatible bucket through django-storages
(INKWELL_MEDIA_STORAGE=s3). No I/O: the bucket is first reached on the first
upload or read.

The access keys are not settings: boto3 reads AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY (or its other credential sources) itself.
"""

import os
from urllib.parse import urlsplit

from botocore.config import Config

from config.environment import stop

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def media_storage():
    """Return STORAGES' "default" entry for the environment's choice."""
    choice = os.environ.get("INKWELL_MEDIA_STORAGE", "").strip().lower() or "local"
    if choice == "local":
        return LOCAL
    if choice != "s3":
        stop(f"INKWELL_MEDIA_STORAGE must be local or s3, not {choice!r}.")
    bucket = _env("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        stop(
            "INKWELL_MEDIA_STORAGE is s3 but AWS_STORAGE_BUCKET_NAME is not set. "
            "Set it to the name of the bucket that holds the uploaded media."
        )
    options = {"bucket_name": bucket}
    for option, name in (
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("custom_domain", "AWS_S3_CUSTOM_DOMAIN"),
        ("url_protocol", "AWS_S3_URL_PROTOCOL"),
        ("location", "AWS_LOCATION"),
        ("default_acl", "AWS_DEFAULT_ACL"),
        ("addressing_style", "AWS_S3_ADDRESSING_STYLE"),
    ):
        if _env(name):
            options[option] = _env(name)
    # A bucket that does not answer fails an upload within seconds, with a
    # message in the editor, instead of holding the request past gunicorn's
    # timeout (boto3 waits a minute by default, and tries again). Given a
    # client config, django-storages takes the addressing style from it.
    options["client_config"] = Config(
        connect_timeout=5,
        read_timeout=20,
        retries={"max_attempts": 2, "mode": "standard"},
        s3={"addressing_style": options.get("addressing_style")},
    )
    return {"BACKEND": "blog.object_storage.MediaObjectStorage", "OPTIONS": options}


def media_origin(storage):
    """Return the origin readers' browsers fetch media from when it is not
    the site's own ("https://media.example.com"), else None.
    """
    if storage["BACKEND"] == LOCAL["BACKEND"]:
        return None
    options = storage.get("OPTIONS", {})
    protocol = options.get("url_protocol", "https:")
    if options.get("custom_domain"):
        return f"{protocol}//{options['custom_domain'].split('/')[0]}"
    if options.get("endpoint_url"):
        endpoint = urlsplit(options["endpoint_url"])
        return f"{endpoint.scheme}://{endpoint.netloc}"
    return "https://*.amazonaws.com"


def _env(name):
    return os.environ.get(name, "").strip()
