"""The demo blog that `manage.py load_demo` creates, written for Inkwell.

Dates are relative to the day it is loaded, so the demo always looks alive:
(days ago, hour). A negative number of days is in the future. A body's
`demo-image:<name>` is the URL of the demo image of that name (see
blog/demo.py, which draws and stores it).
"""

SITE = {
    "title": "Low Level Notes",
    "tagline": "Long posts about computers, one layer down.",
    "author_name": "Ada Example",
    "author_bio": "Writes compilers by day and about them by night.",
    "footer_text": "Words by Ada Example. Published with Inkwell.",
}

TAGS = {
    "c": ("C", "The language most of the machine is still written in."),
    "assembly": ("Assembly", "x86-64, GAS syntax, read slowly."),
    "compilers": ("Compilers", "From source text to machine code."),
    "performance": ("Performance", "Measuring before guessing."),
    "linux": ("Linux", "The kernel and the user space around it."),
    "debugging": ("Debugging", "Finding out why."),
    "tools": ("Tools", "Editors, shells and the small programs in between."),
    "memory": ("Memory", "Caches, allocators and the price of a pointer."),
    "writing": ("Writing", "On writing about technical things."),
    "history": ("History", "How we got here."),
}

FEATURED = [
    {
        "slot": 1,
        "label": "",
        "title": "What a C compiler does with a switch statement",
        "tags": ["c", "compilers", "assembly"],
        "days_ago": 20,
        "body": """\
A `switch` looks like a chain of `if`s, but compilers rarely treat it as
one.[^jump] This post follows one small function from C to x86-64 and shows
the three shapes a compiler picks between.

<!--more-->

## The function

```c
int classify(int c)
{
    switch (c) {
    case 0: return 10;
    case 1: return 11;
    case 2: return 12;
    case 3: return 13;
    default: return -1;
    }
}
```

## Shape one: a jump table

With dense case values the compiler builds a table of addresses and jumps
through it:

```asm
classify:
        cmpl    $3, %edi
        ja      .Ldefault
        movl    %edi, %edi
        jmp     *.Ltable(,%rdi,8)
.Ldefault:
        movl    $-1, %eax
        ret
```

## Shape two: a lookup table

When every case only returns a constant, the table can hold the *values*
instead of addresses, and the branch disappears.

## Shape three: a binary search

Sparse values (1, 100, 10000) get compared in a balanced tree of `cmp`
instructions, which costs about log2(n) comparisons.

## How the shapes compare

Comparisons to reach the last of n cases (the jump table's one is its
bounds check):

| shape         | n=2 | 4 | 8 | 16 | 32 | 64 | 128 | 256 | 512 | 1024 |
|---------------|-----|---|---|----|----|----|-----|-----|-----|------|
| `if` chain    |   2 | 4 | 8 | 16 | 32 | 64 | 128 | 256 | 512 | 1024 |
| binary search |   1 | 2 | 3 |  4 |  5 |  6 |   7 |   8 |   9 |   10 |
| jump table    |   1 | 1 | 1 |  1 |  1 |  1 |   1 |   1 |   1 |    1 |

---

What to take away:

1. Dense cases become tables.
2. Constant results become data.
3. Sparse cases become a search.

> The compiler is not clever about your code; it is clever about the
> shapes your code happens to have.

[^jump]: GCC calls the first form a "casesi" pattern internally; Clang lowers
    switches in `SwitchLoweringUtils`.
""",
    },
    {
        "slot": 2,
        "label": "Start here",
        "title": "Reading a core dump without fear",
        "tags": ["debugging", "linux", "c"],
        "days_ago": 95,
        "body": """\
A core dump is a photograph of a process at the moment it died. With `gdb`
and some patience it tells you most of what you need.

<!--more Keep reading-->

## Getting a core at all

Many distributions hand cores to `systemd-coredump`:

```sh
ulimit -c unlimited
coredumpctl list
coredumpctl gdb 4242
```

## The first three commands

- `bt` prints the stack of the crashing thread.
- `info registers` shows the machine state.
- `frame 2` followed by `info locals` shows a caller's variables.

```c
struct node { struct node *next; int value; };

int sum(const struct node *n)
{
    int total = 0;
    for (; n; n = n->next)
        total += n->value;   /* crashes when a node was freed */
    return total;
}
```

> A crash is rarely where the bug is. It is where the bug was noticed.
""",
    },
    {
        "slot": 3,
        "label": "",
        "title": "Cache lines, false sharing and a 6x slowdown",
        "tags": ["performance", "memory", "c"],
        "days_ago": 240,
        "continue_text": "Read the measurements",
        "body": """\
Two threads, two counters, no locks, and the program got six times slower
when I added the second thread. The counters shared a cache line.

<!--more-->

## The program

```c
struct counters { long a; long b; };   /* 16 bytes: one cache line */
```

Padding each counter to 64 bytes fixed it:

![Two counters in one 64-byte cache line, then one line each](demo-image:cache-lines)

```c
struct counters {
    _Alignas(64) long a;
    _Alignas(64) long b;
};
```

## The numbers

| layout   | time (s) |
|----------|---------:|
| packed   |     3.10 |
| padded   |     0.52 |

### Why

Each write invalidates the other core's copy of the line, so the line
bounces between cores on every increment.
""",
    },
    {
        "slot": 4,
        "label": "",
        "title": "A tour of the x86-64 calling convention",
        "tags": ["assembly", "compilers"],
        "days_ago": 500,
        "body": """\
Before you can read compiler output you need to know where the arguments
are. On Linux, the System V ABI answers that.

<!--more Continue the tour-->

## Integer arguments

The first six go in `%rdi`, `%rsi`, `%rdx`, `%rcx`, `%r8` and `%r9`; the rest
go on the stack.

```asm
add3:
        leal    (%rdi,%rsi), %eax
        addl    %edx, %eax
        ret
```

## Who saves what

- Callee-saved: `%rbx`, `%rbp`, `%r12` to `%r15`.
- Everything else may be clobbered by a call.

## The red zone

Leaf functions may use 128 bytes below `%rsp` without moving it.
""",
    },
]

STREAM = [
    {
        "title": "Why I still write a Makefile first",
        "tags": ["tools"],
        "days_ago": 3,
        "body": """\
Every project of mine starts with a Makefile of four targets: `run`, `test`,
`lint` and `clean`. It is the cheapest documentation there is.[^make]

[^make]: Even when the real build is done by something else.
""",
    },
    {
        "title": "The smallest useful strace session",
        "tags": ["linux", "debugging", "tools"],
        "days_ago": 45,
        "body": """\
When a program cannot find a file, `strace -f -e trace=openat` usually says
which one in a single screen:

```sh
strace -f -e trace=openat ./server 2>&1 | grep ENOENT
```
""",
    },
    {
        "title": "Notes on writing long technical posts",
        "tags": ["writing"],
        "days_ago": 130,
        "body": """\
Three rules I try to keep:

1. Show the code before explaining it.
2. Measure, and give the command that measured.
3. Cut the introduction in half.

Footnotes help keep the main text moving.[^aside]

[^aside]: Like this one, which you may skip.
""",
    },
    {
        "title": "What volatile does not do",
        "tags": ["c", "memory"],
        "days_ago": 300,
        "body": """\
`volatile` stops the compiler from caching a value in a register. It does
not make an access atomic, and it does not order it against other threads.
For that, use `<stdatomic.h>`.
""",
    },
    {
        "title": "A short history of the null pointer",
        "tags": ["history", "c"],
        "days_ago": 420,
        "body": """\
Tony Hoare called the null reference his "billion-dollar mistake".[^hoare]
C made it cheaper to write and no easier to avoid.

[^hoare]: He said so in a talk in 2009.
""",
    },
    {
        "title": "Profiling with perf in five minutes",
        "tags": ["performance", "linux", "tools"],
        "days_ago": 610,
        "body": """\
```sh
perf record -g ./program
perf report --stdio | head -40
```

Start with the functions at the top, and read the call graph before
optimizing anything.
""",
    },
    {
        "title": "Undefined behaviour is a contract",
        "tags": ["c", "compilers"],
        "days_ago": 800,
        "body": """\
The compiler assumes your program has no undefined behaviour and optimizes
on that assumption. Signed overflow is the classic case:

```c
for (int i = 0; i < n; i += 2) { /* the compiler may assume i never wraps */ }
```
""",
    },
    {
        "title": "How malloc finds memory",
        "tags": ["memory", "linux"],
        "days_ago": 1000,
        "body": """\
Small requests come from per-thread caches and bins inside the heap; large
ones get their own `mmap`. The threshold moves at run time.[^threshold]

[^threshold]: glibc calls it `M_MMAP_THRESHOLD`.
""",
    },
    {
        "title": "Hello, world, in three instructions",
        "tags": ["assembly", "history"],
        "days_ago": 1300,
        "body": """\
```asm
        movl    $1, %eax        # write
        movl    $1, %edi        # to stdout
        syscall
```

The rest is setting up `%rsi` and `%rdx`.
""",
    },
]

HIDDEN = [
    {
        "title": "Draft: things I got wrong about SIMD",
        "tags": ["performance"],
        "status": "draft",
        "days_ago": 1,
        "body": "Not ready for readers yet.",
    },
    {
        "title": "Scheduled: the linker, part one",
        "tags": ["compilers"],
        "status": "published",
        "days_ago": -14,
        "body": "This post is scheduled two weeks from when the demo was loaded.",
    },
]

# Standalone pages, published, outside the stream of posts.
PAGES = [
    {
        "title": "About",
        "slug": "about",
        "show_in_navigation": True,
        "navigation_order": 1,
        "body": """\
*Low Level Notes* is where Ada Example writes about what happens one layer
below the code most of us write: compilers, assembly, memory and the
kernel.[^why]

## What you will find here

- Long posts that follow one small program all the way down.
- Shorter notes on tools and debugging.
- Now and then, some history of how we got here.

## Elsewhere

New posts arrive in the [feed](/feed/); older ones are in the
[archive](/archive/).

[^why]: Because that is where the surprises are.
""",
    },
]
