"""The hostile-content corpus (xss_payloads.txt) and the check that a page
or feed holds nothing a browser would run (executable.py).
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "xss_payloads.txt"
SOURCE_HEADER = "## Source: "


@dataclass(frozen=True)
class Payload:
    source: str
    text: str


@cache
def payloads():
    """Return the corpus's payloads, in file order, each with its source."""
    found, source = [], None
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith(SOURCE_HEADER):
            source = line.removeprefix(SOURCE_HEADER)
        elif line and not line.startswith("#"):
            text = line.replace("␤", "\n").replace("␉", "\t")
            found.append(Payload(source=source, text=text))
    return tuple(found)


def payloads_up_to(max_length):
    """Return the payloads that fit a field of max_length characters."""
    return tuple(p for p in payloads() if len(p.text) <= max_length)
