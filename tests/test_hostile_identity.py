"""The hostile-content corpus (tests/hostile/xss_payloads.txt) through every
site identity field: nothing executable is served on the index or in the
feed.

Apart from tests/test_hostile_content.py, which holds the other fields:
each takes a quarter of a minute or more, and under xdist (--dist loadfile)
two files run side by side where one would run both in turn.
"""

import pytest

from blog.models import SiteIdentity
from tests.hostile import payloads
from tests.hostile.blog import IDENTITY_FIELDS
from tests.hostile.executable import served_findings

pytestmark = pytest.mark.django_db


def test_every_payload_in_every_site_identity_field_is_served_inert(client):
    findings = {}
    for payload in payloads():
        identity = SiteIdentity.load()
        for name, length in IDENTITY_FIELDS.items():
            fits = length is None or len(payload.text) <= length
            setattr(identity, name, payload.text if fits else "")
        identity.save()
        found = served_findings(client, ["/", "/feed/atom/"])
        if found:
            findings[payload.text] = found

    assert findings == {}
