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


def gif_with_frames_past_its_screen(screen=(16, 16), frame_size=(9000, 9000), frames=5):
    """Return a real GIF whose logical screen is `screen` and whose frames
    after the first each declare `frame_size`, in one colour.

    The shape of the GIF bomb: a small file (about 60 KB a 9000x9000 frame)
    whose header promises a few pixels while its frames decode hundreds of
    millions. Written by hand: Pillow would need the pixels in memory.
    """
    out = bytearray(b"GIF89a")
    # Logical screen, a global table of two colours (black, white).
    out += struct.pack("<HHBBB", *screen, 0x80, 0, 0) + b"\0\0\0\xff\xff\xff"
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    sizes = [screen] + [frame_size] * (frames - 1)
    for width, height in sizes:
        out += b"\x21\xf9\x04\x00\x0a\x00\x00\x00"  # 100 ms a frame
        out += b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0)
        out += b"\x02" + sub_blocks(lzw_one_colour(width * height))
    return bytes(out + b"\x3b")


def lzw_one_colour(pixels):
    """Return GIF LZW data (code size 2) for `pixels` pixels of colour 0.

    On one colour the dictionary only ever gains the run one pixel longer
    than the last, so the codes are runs of 1, 2, 3 ... pixels: code 0, then
    6, 7, 8 ... Widths follow the decoder: 3 bits after a clear code, one
    more each time its next free entry reaches a power of two, up to 12.
    """
    clear, end, first_free = 4, 5, 6
    writer = BitWriter()
    writer.write(clear, 3)
    width, next_entry, run, left = 3, first_free, 1, pixels
    while left:
        take = min(run, left)
        writer.write(0 if take == 1 else first_free + take - 2, width)
        left -= take
        if run > 1:
            next_entry += 1  # the decoder adds an entry for every code but
            #                  the first after a clear
        run += 1
        if next_entry == 1 << width and width < 12:
            width += 1
        if next_entry >= 4000 and left:
            writer.write(clear, width)
            width, next_entry, run = 3, first_free, 1
    writer.write(end, width)
    return writer.getvalue()


class BitWriter:
    """Codes packed least-significant bit first, as GIF stores them."""

    def __init__(self):
        self.out, self.value, self.bits = bytearray(), 0, 0

    def write(self, code, width):
        self.value |= code << self.bits
        self.bits += width
        while self.bits >= 8:
            self.out.append(self.value & 0xFF)
            self.value >>= 8
            self.bits -= 8

    def getvalue(self):
        tail = bytes([self.value]) if self.bits else b""
        return bytes(self.out) + tail


def sub_blocks(data):
    """Return data as GIF sub-blocks of at most 255 bytes, then a terminator."""
    chunks = [data[i : i + 255] for i in range(0, len(data), 255)]
    return b"".join(bytes([len(chunk)]) + chunk for chunk in chunks) + b"\0"
