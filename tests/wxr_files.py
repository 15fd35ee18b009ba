"""Where the WordPress exports that tests read live.

The project's own small exports are in tests/fixtures/wxr/. Real exports
from WordPress's importer are in the team's shared folder beside the project
(`../shared/wxr/`), never copied into it: tests that need one skip, saying
why, where that folder is absent.
"""

from pathlib import Path

import pytest

# The start of a WXR 1.2 file, up to its channel: what generated exports
# (the hostile corpus, bench/bench_import.py) put before their own channel.
WXR_OPENING = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
 xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
"""

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wxr"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "wxr"


def fixture_path(name):
    return FIXTURES / name


def shared_path(name):
    """Return a real export's path, or skip the test when it is absent."""
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"{path} is absent: the real WordPress exports are not here.")
    return path
