"""Time saving a post at a blog size, in process: the median over several
saves of an existing post through `blog.services.post_save` (what the admin
calls), with its rendering and without it.

Run from the project folder, on a blog bench_pages.py or generate_blog.py
made (it must exist; this writes to it: each save edits the post's title
and saves it, as an author would):

    .venv/bin/python bench/bench_save.py --posts 100000
    .venv/bin/python bench/bench_save.py --posts 100000 \\
        --database-url postgres://inkwell:inkwell@127.0.0.1:5432/inkwell_bench_100000

"Rendering" is `Post.render()` (Markdown to the stored HTML), timed alone on
the same post; "without rendering" is the save less that. The saved post
keeps its body: only its title changes, and goes back on the last save.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def setup(posts, database_url):
    from bench_pages import production_environment

    production_environment(posts, database_url)
    import generate_blog

    generate_blog.setup_django()
    from blog.models import Post

    visible = Post.objects.published().count()
    if visible != posts:
        sys.exit(f"The database holds {visible:,} visible posts, not {posts:,}.")


def median_ms(times):
    return statistics.median(times) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database-url", help="default: var/bench-pages-N.sqlite3")
    args = parser.parse_args()
    setup(args.posts, args.database_url)
    from django.conf import settings

    from blog.models import Post
    from blog.services import post_save

    # An old post, in the middle of the tag and month counts.
    visible = Post.objects.published().order_by("published_at", "pk")
    post = visible[args.posts // 10]
    title = post.title
    saves, renders = [], []
    for run in range(args.runs + 2):
        post = Post.objects.get(pk=post.pk)
        post.title = title if run == args.runs + 1 else f"{title} ({run})"
        started = time.perf_counter()
        post_save(post=post)
        saved = time.perf_counter() - started
        started = time.perf_counter()
        post.render()
        rendered = time.perf_counter() - started
        if run >= 2:  # the first two warm up
            saves.append(saved)
            renders.append(rendered)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    words = post.word_count
    print(f"{args.posts:,} posts on {engine}, post {post.pk} ({words:,} words)")
    print(f"median of {len(saves)} saves (wall ms):")
    print(f"  save, with its rendering   {median_ms(saves):8.1f}")
    print(f"  rendering alone            {median_ms(renders):8.1f}")
    without = [save - render for save, render in zip(saves, renders, strict=True)]
    print(f"  save without rendering     {median_ms(without):8.1f}")


if __name__ == "__main__":
    main()
