"""Time the rendering pipeline on a long technical post.

Run from the project folder (no database or settings needed; rendering is
pure Python):

    .venv/bin/python bench/bench_render.py            # 20 renders
    .venv/bin/python bench/bench_render.py --runs 50

The post is about 5,000 words with 20 fenced code blocks in C, assembly,
Python, Rust, shell and diff, footnotes, headings, a list, a quote and a
`<!--more-->` cut: what a save in the admin, or one post in
`manage.py rerender_posts`, costs.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from blog.rendering import render_post  # noqa: E402

CODE_BLOCKS = [
    ("c", "static int add(int a, int b)\n{\n    return a + b; /* sum */\n}"),
    ("gas", "add:\n    leal (%rdi,%rsi), %eax\n    ret"),
    ("python", "def add(a, b):\n    return a + b  # sum"),
    ("rust", "fn add(a: i32, b: i32) -> i32 {\n    a + b\n}"),
    ("sh", 'cc -O2 -S add.c && echo "done: $?"'),
    ("diff", "-    return a - b;\n+    return a + b;"),
]
PARAGRAPH = (
    "The compiler turns a *small* function into a handful of instructions, "
    "and the `calling convention` decides which registers carry the "
    "arguments, which the callee must preserve, and where the result goes; "
    "reading the output of **gcc -S** is the quickest way to see it."
)  # 45 words


def long_post(words=5000, code_blocks=20):
    """Return Markdown of about `words` words with `code_blocks` code blocks."""
    paragraphs_needed = words // 45
    code_after = {i * paragraphs_needed // code_blocks for i in range(code_blocks)}
    parts = ["Intro with a footnote.[^intro]\n\n<!--more Keep reading-->"]
    for index in range(paragraphs_needed):
        if index % 12 == 0:
            parts.append(f"## Section {index // 12 + 1}")
        parts.append(PARAGRAPH + (f"[^n{index}]" if index % 25 == 0 else ""))
        if index in code_after:
            language, code = CODE_BLOCKS[len(parts) % len(CODE_BLOCKS)]
            parts.append(f"```{language}\n{code}\n```")
        if index % 30 == 7:
            parts.append("- one item\n- another item\n    - nested\n\n> A quote.")
    parts.append("[^intro]: The first footnote.")
    parts += [f"[^n{i}]: Footnote {i}." for i in range(0, paragraphs_needed, 25)]
    return "\n\n".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs

    body = long_post()
    first = render_post(body, post_id=1, post_url="/posts/bench/")
    blocks = first.body_html.count('<div class="codehilite">')
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        render_post(body, post_id=1, post_url="/posts/bench/")
        timings.append(time.perf_counter() - start)
    print(
        f"{first.word_count} words, {blocks} code blocks, {runs} renders: "
        f"median {statistics.median(timings) * 1000:.1f} ms, "
        f"min {min(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms "
        "per render"
    )


if __name__ == "__main__":
    main()
