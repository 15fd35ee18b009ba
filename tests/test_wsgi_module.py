"""config/wsgi.py, the application gunicorn serves, loaded as a worker
loads it: in a process of its own.
"""

import subprocess
import sys

from tests.test_serve import ROOT, production_environment

LOAD_AND_REPORT = """
import gc
from config.wsgi import application
print(type(application).__name__, gc.get_freeze_count(), len(gc.get_objects()))
"""


def test_what_the_wsgi_module_loaded_is_out_of_the_collectors_sight(tmp_path):
    # A full collection walks every object the collector tracks: what the
    # worker loaded at start, frozen, is no longer among them.
    loaded = subprocess.run(
        [sys.executable, "-c", LOAD_AND_REPORT],
        cwd=ROOT,
        env=production_environment(tmp_path, 8149),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert loaded.returncode == 0, loaded.stderr
    name, frozen, tracked = loaded.stdout.split()
    assert name == "KeptPageApplication"
    assert int(frozen) > 10_000
    assert int(tracked) < int(frozen) // 10
