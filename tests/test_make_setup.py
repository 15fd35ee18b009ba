"""`make run`'s set-up step (`make setup`): the commands the Makefile runs,
run here in-process on the test database, as often as `make run` is.

A real `make setup` starts Django three times (about 4 s of CPU a run), too
slow for the suite; `make -n` shows exactly what it would run instead.
"""

import os
import shlex
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from blog.models import Post, Tag

ROOT = Path(__file__).resolve().parent.parent
MAKE_VARIABLES = {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"}

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make_commands(*arguments, env=None):
    """Return the `manage.py` command lines `make setup` would run, each as
    (environment assignments, manage.py arguments)."""
    if env is None:
        # The test settings put a SITE_URL in this process's environment.
        env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    # Under `make test` this make would be a sub-make: it would inherit the
    # outer one's flags and print "Entering directory" lines.
    env = {key: value for key, value in env.items() if key not in MAKE_VARIABLES}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "-o", "install", "setup", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    commands = []
    for line in result.stdout.splitlines():
        words = shlex.split(line)
        manage = words.index("manage.py")
        assignments = dict(word.split("=", 1) for word in words[: manage - 1])
        commands.append((assignments, words[manage + 1 :]))
    return commands


def run_setup(*arguments):
    out = StringIO()
    for _assignments, command in make_commands(*arguments):
        call_command(*command, stdout=out)
    return out.getvalue()


def test_setup_migrates_loads_the_demo_and_makes_the_admin_account():
    commands = [command[0] for _env, command in make_commands()]

    assert commands == ["migrate", "load_demo", "ensure_admin"]


def test_site_url_follows_host_and_port_unless_set():
    def site_urls(*arguments, env=None):
        commands = make_commands(*arguments, env=env)
        return {assignments["SITE_URL"] for assignments, _command in commands}

    assert site_urls("PORT=8213") == {"http://127.0.0.1:8213"}
    assert site_urls("HOST=0.0.0.0", "PORT=8214") == {"http://127.0.0.1:8214"}
    assert site_urls("HOST=::1") == {"http://[::1]:8000"}
    environment = {"PATH": "/usr/bin:/bin", "SITE_URL": "https://blog.example.com"}
    assert site_urls(env=environment) == {"https://blog.example.com"}


@pytest.mark.django_db
def test_setup_twice_after_the_demo_posts_were_deleted_neither_reloads_nor_crashes(
    monkeypatch,
):
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "a long chosen password")
    first = run_setup()
    Post.objects.all().delete()  # the author clears the demo; tags remain

    second = run_setup()
    third = run_setup()

    assert "Loaded the demo blog" in first
    assert Post.objects.count() == 0
    assert Tag.objects.exists()
    for output in (second, third):
        assert "set up before" in output
        assert "manage.py changepassword admin" in output


@pytest.mark.django_db
def test_setup_twice_after_remove_demo_keeps_the_blog_empty():
    run_setup()
    call_command("remove_demo", stdout=StringIO())

    run_setup()
    run_setup()

    assert Post.objects.count() == Tag.objects.count() == 0


@pytest.mark.django_db
def test_demo_0_starts_an_empty_blog_that_stays_empty():
    output = run_setup("DEMO=0")
    run_setup()

    assert "empty blog" in output
    assert Post.objects.count() == Tag.objects.count() == 0
