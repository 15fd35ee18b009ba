"""A post with every kind of code block, for the colour, HTML checker and
browser tests: each language whose colours the README promises, one Pygments
does not know, none, an indented block, raw HTML and a line far wider than
a phone.
"""

SAMPLES = {
    "gas": "add:\n    leal (%rdi,%rsi), %eax  # the sum\n    ret",
    "nasm": "_start:\n    mov eax, 1  ; exit\n    int 0x80",
    "c": '#include <stdio.h>\n/* a comment */\nint main(void) { puts("hi"); }',
    "sh": 'for f in *.c; do echo "$f"; done  # a comment',
    "diff": "@@ -1 +1 @@\n-    return a - b;\n+    return a + b;",
}

LONG_LINE = "x = " + " + ".join(f"value_{number}" for number in range(60))

EVERY_CODE_BLOCK = "\n\n".join(
    [
        "Code of every kind, each in its own block.",
        *(f"```{language}\n{code}\n```" for language, code in SAMPLES.items()),
        f"```python\n{LONG_LINE}\n```",
        "```klingon\nQapla'\n```",
        "```\nno language\n```",
        "    an indented block",
        "<pre>raw HTML</pre>",
    ]
)
