"""Time export_markdown and import_markdown on a generated blog.

Run from the project folder; it uses a temporary SQLite database and media
folder, and deletes them afterwards:

    .venv/bin/python bench/bench_markdown_folder.py              # 2,000 posts
    .venv/bin/python bench/bench_markdown_folder.py --posts 200

It creates N posts of about 2,700 words each (every tenth a draft, two tags
each), exports them, imports the folder into an empty database (which
renders every post, as saving it in the admin does) and exports again, then
prints the time of each step and whether the two folders are identical.
"""

import argparse
import filecmp
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PARAGRAPH = "Some words of a long technical post, with `code` in them. " * 30


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        os.environ.update(
            DJANGO_SETTINGS_MODULE="tests.settings",
            DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
            MEDIA_ROOT=str(work / "media"),
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        create_posts(args.posts)
        quiet = {"stdout": open(os.devnull, "w")}
        figures = {}
        figures["export"] = timed(call_command, "export_markdown", work / "a", **quiet)
        empty_the_blog()
        figures["import"] = timed(call_command, "import_markdown", work / "a", **quiet)
        figures["export again"] = timed(
            call_command, "export_markdown", work / "b", **quiet
        )
        identical = same_tree(work / "a", work / "b")
    for step, seconds in figures.items():
        print(
            f"{step:>13}: {seconds:7.2f} s  ({seconds / args.posts * 1000:.1f} ms/post)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.posts} posts; peak memory {peak:.0f} MB; folders identical: {identical}"
    )


def create_posts(count):
    from blog.models import Post, Tag

    tags = [Tag.objects.create(name=f"Tag {n}") for n in range(20)]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    posts = Post.objects.bulk_create(
        Post(
            title=f"Post {n}",
            slug=f"post-{n}",
            body="\n\n".join([PARAGRAPH] * 9),
            status=Post.Status.DRAFT if n % 10 == 0 else Post.Status.PUBLISHED,
            published_at=start + timedelta(hours=7 * n),
        )
        for n in range(count)
    )
    Post.tags.through.objects.bulk_create(
        Post.tags.through(post_id=post.pk, tag_id=tags[(n + k) % 20].pk)
        for n, post in enumerate(posts)
        for k in range(2)
    )


def empty_the_blog():
    from blog.models import Post, Tag

    Post.objects.all().delete()
    Tag.objects.all().delete()


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - started


def same_tree(left, right):
    comparison = filecmp.dircmp(left, right)
    if comparison.left_only or comparison.right_only or comparison.diff_files:
        return False
    _match, mismatch, errors = filecmp.cmpfiles(
        left, right, comparison.common_files, shallow=False
    )
    return not (mismatch or errors) and all(
        same_tree(left / name, right / name) for name in comparison.common_dirs
    )


if __name__ == "__main__":
    main()
