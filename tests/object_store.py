"""A local S3-compatible object store for the tests: moto's server mode on a
loopback port, reached over HTTP by django-storages and boto3 as a real
bucket would be.
"""

import json
import socket
from contextlib import contextmanager

import boto3

# The tests' own ports for moto (each engineer's tests have their own range).
PORTS = range(5000, 5010)
REGION = "us-east-1"
# moto accepts any keys; boto3 needs some to sign its requests.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def free_port(ports):
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No port free between {ports.start} and {ports.stop - 1}.")


@contextmanager
def moto_server():
    """Yield the endpoint URL of a fresh, empty object store."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(
        ip_address="127.0.0.1", port=free_port(PORTS), verbose=False
    )
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def s3_client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def create_bucket(endpoint, name):
    """Create a bucket whose objects anyone may read, as the README says the
    media bucket must be.
    """
    client = s3_client(endpoint)
    client.create_bucket(Bucket=name)
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read(name)))


def public_read(bucket):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


def media_environment(endpoint, bucket):
    """Return the environment variables that put the media in `bucket`."""
    return {
        "INKWELL_MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        **CREDENTIALS,
    }
