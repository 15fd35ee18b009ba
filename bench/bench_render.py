"""Time the rendering pipeline on a long technical post, stage by stage, and
on pathological input at the size limit.

Run from the project folder (no database or settings needed; rendering is
pure Python):

    .venv/bin/python bench/bench_render.py                 # 20 renders
    .venv/bin/python bench/bench_render.py --runs 50
    .venv/bin/python bench/bench_render.py --corpus-kb 0   # skip the corpus

The post is about 5,000 words with 20 fenced code blocks in C, assembly,
Python, Rust, shell and diff, footnotes, headings, a list, a quote and a
`<!--more-->` cut: what a save in the admin, or one post in
`manage.py rerender_posts`, costs. It is timed twice: as written (no raw
HTML, so no HTML5 parser), and with one `<kbd>` in it (bleach parses it).
Then each case of tests/pathological.py at `--corpus-kb` (default 1024, the
INKWELL_MAX_BODY_KB default), and the post itself repeated to that size, is
rendered once (`--case NAME` for one of them); the target is under 2 s each.
"""

import argparse
import statistics
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from blog.rendering import (  # noqa: E402
    links,
    markdown,
    pipeline,
    render_post,
    sanitizer,
)
from tests.pathological import CASES, TRAILING_TEXT, pathological  # noqa: E402

POST_URL, SITE_URL = "/posts/bench/", "https://blog.example.com"
# (module, function name, stage): the pipeline looks these up at call time.
STAGES = [
    (markdown, "parse", "parse"),
    (markdown, "render", "render"),
    (markdown, "highlight", "highlight"),
    (sanitizer, "sanitized_tokens", "sanitize"),
    (sanitizer, "trusted_tokens", "sanitize"),
    (links, "site_links", "links"),
    (links, "absolute_links", "links"),
    (pipeline, "to_html", "serialize"),
]

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


def render(body):
    return render_post(body, post_id=1, post_url=POST_URL, site_url=SITE_URL)


@contextmanager
def stage_timer():
    """Add up the time spent in each stage while the block runs."""
    spent = defaultdict(float)
    originals = [(module, name, getattr(module, name)) for module, name, _ in STAGES]

    def timed(function, stage):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - start

        return wrapper

    for (module, name, stage), (_, _, function) in zip(STAGES, originals, strict=True):
        setattr(module, name, timed(function, stage))
    try:
        yield spent
    finally:
        for module, name, function in originals:
            setattr(module, name, function)


def time_post(label, body, runs):
    first = render(body)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        render(body)
        timings.append(time.perf_counter() - start)
    with stage_timer() as spent:
        for _ in range(runs):
            render(body)
    # Highlighting runs inside markdown-it's renderer: count it once.
    spent["render"] -= spent["highlight"]
    stages = ", ".join(
        f"{stage} {spent[stage] / runs * 1000:.1f}"
        for stage in ("parse", "render", "highlight", "sanitize", "links", "serialize")
    )
    blocks = first.body_html.count('<div class="codehilite">')
    print(
        f"{label}: {first.word_count} words, {blocks} code blocks, {runs} renders: "
        f"median {statistics.median(timings) * 1000:.1f} ms, "
        f"min {min(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms "
        f"per render\n  per stage (ms, mean, timed separately): {stages}"
    )


def time_corpus(size_kb, names):
    print(
        f"Pathological corpus at {size_kb} KB, one render each "
        "(wall seconds; CPU seconds of this process, less hurt by a busy machine):"
    )
    worst = ("", 0.0, 0.0)
    for name in names:
        body = corpus_case(name, size_kb * 1024)
        start, cpu_start = time.perf_counter(), time.process_time()
        rendered = render(body)
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        kept = "" if TRAILING_TEXT in rendered.body_html else "  TRAILING TEXT LOST"
        over = "  (over a budget)" if rendered.is_over_budget else ""
        print(f"  {name:24} {elapsed:6.2f} s  cpu {cpu:6.2f} s{over}{kept}", flush=True)
        worst = max(worst, (name, elapsed, cpu), key=lambda case: case[1])
    print(
        f"Worst case: {worst[0]}, {worst[1]:.2f} s, cpu {worst[2]:.2f} s "
        "(target: under 2 s)"
    )


def corpus_case(name, size):
    """Return a case of the corpus at `size` bytes; "real-writing" is the
    5,000-word post repeated to that size, with TRAILING_TEXT after it.
    """
    if name != "real-writing":
        return pathological(name, size)
    post = long_post()
    return "\n\n".join([post] * (size // len(post.encode()))) + "\n\n" + TRAILING_TEXT


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--corpus-kb", type=int, default=1024)
    parser.add_argument(
        "--case",
        action="append",
        choices=["real-writing", *CASES],
        help="time only this corpus case (repeatable); default: all of them",
    )
    options = parser.parse_args()

    body = long_post()
    time_post("As written", body, options.runs)
    time_post(
        "With raw HTML",
        body.replace("`calling", "<kbd>K</kbd> `calling", 1),
        options.runs,
    )
    if options.corpus_kb > 0:
        time_corpus(options.corpus_kb, options.case or ["real-writing", *CASES])


if __name__ == "__main__":
    main()
