"""Real image files, made with Pillow, for the upload tests."""

import struct
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def image_bytes(image_format="PNG", size=(64, 48), color="teal", **options):
    """Return the bytes of a one-colour image saved in image_format."""
    mode = "P" if image_format == "GIF" else "RGB"
    output = BytesIO()
    Image.new(mode, size, color).save(output, image_format, **options)
    return output.getvalue()


def animated_gif_bytes(frames=3, size=(40, 30)):
    colours = ["red", "green", "blue", "yellow", "purple"]
    images = [Image.new("RGB", size, colours[i % len(colours)]) for i in range(frames)]
    output = BytesIO()
    images[0].save(
        output, "GIF", save_all=True, append_images=images[1:], duration=80, loop=0
    )
    return output.getvalue()


def gps_exif(orientation=1):
    """Return EXIF that says where a photo was taken, and how it is turned."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (52.0, 22.0, 7.5), 3: "E", 4: (4.0, 53.0, 2.1)}
    return exif.tobytes()


def png_header_claiming(width, height):
    """Return a tiny PNG whose header claims width x height pixels.

    Decoding it would need the memory of the claimed size: a decompression
    bomb's shape, without building one.
    """

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(data, name="image.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)
