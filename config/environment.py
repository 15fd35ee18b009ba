"""Reading Inkwell's configuration from the environment, without any I/O.

Shared by the settings and by the checkout's start-up step (config.checkout),
which must not import the settings: importing them stops when a required
variable is missing.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("INKWELL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SWITCH_VALUES = {"1": True, "true": True, "yes": True, "on": True}
SWITCH_VALUES |= {"0": False, "false": False, "no": False, "off": False}


def env_switch(name, default):
    """Read an on/off setting, refusing a value that is neither: a typo
    must not silently turn a feature off.
    """
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in SWITCH_VALUES:
        stop(f"{name} must be 1 (on) or 0 (off), not {os.environ[name]!r}.")
    return SWITCH_VALUES[value]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        stop(f"{name} must be a whole number, not {value!r}.")


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def stop(message):
    # A one-line message at start-up tells an operator what to fix; an
    # ImproperlyConfigured traceback from deep inside Django does not.
    raise SystemExit(f"Inkwell cannot start: {message}")
