from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from blog import old_addresses, search, social_images
from blog.archive_listing import archive_years
from blog.compiled_queries import CompiledQuery
from blog.models import Page, Post, SiteIdentity, Tag, archive_range, tags_of
from blog.pagination import CountedPaginator
from blog.post_counts import (
    Timeline,
    local_months,
    newest_first_bound,
    visible_months,
)
from blog.post_summaries import add_summaries
from blog.redirect_targets import may_redirect
from blog.rendering import absolute_url
from blog.search_query import SearchQuery


class PostListView(ListView):
    """A page of visible posts, newest first, shown the way the stream is.

    Pages live in the path (/page/2/), never in ?page=, so each page has one
    address; page 1 is the list's own URL, named `url_name`, and the others
    are `<url_name>_page`. A subclass says how many posts the list has
    (`post_count`, from blog.post_counts, never a COUNT(*)) and may say
    where a deep page starts (`newer_than`), so no page walks the posts
    before it.
    """

    context_object_name = "posts"
    url_name = None
    # Readers' pages are read: any other method is 405 (so is OPTIONS).
    http_method_names = ["get", "head"]
    # A list with no posts is a 404, except where a subclass says otherwise.
    allow_empty = False
    # The list's page of posts: a CompiledQuery from list_page_query(), its
    # values besides the moment from list_values().
    list_query = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # One moment for every query of the request: the count and the page
        # agree on which posts are visible.
        self.now = timezone.now()

    def get(self, request, *args, **kwargs):
        if kwargs.get("page") == 1:
            return redirect(self.page_url(1), permanent=True)
        self.object_list = self.get_queryset()
        # ListView would run an extra exists() query when allow_empty is
        # off; the paginator's count already tells whether page 1 exists.
        return self.render_to_response(self.get_context_data())

    def get_queryset(self):
        return self.posts_before(None)

    def posts_before(self, moment):
        """Return the list's posts dated before `moment` (None: all of them),
        as the page shows them, for the paginator to slice.
        """
        if moment is None or moment > self.now:
            # Visible now: dated before the next microsecond (one bound on
            # the date, as published_before() keeps it).
            moment = self.now + timedelta(microseconds=1)
        return ListPosts(self.list_query, moment=moment, **self.list_values())

    def list_values(self):
        """Return the values list_query needs besides the moment."""
        return {}

    def get_paginate_by(self, queryset):
        return settings.INKWELL_PAGE_SIZE

    def post_count(self):
        """Return how many posts the list has."""
        raise NotImplementedError

    def newer_than(self, start):
        """Return how many of the list's posts are dated at or after the UTC
        month start `start`, or None when the list does not know.
        """
        return None

    def page_starts(self):
        """Return the UTC month starts a page may be bounded by, newest first."""
        return self.timeline.month_starts()

    def locate(self, posts, position):
        if self.newer_than(self.now) is None:
            return posts, position
        bound, offset = newest_first_bound(
            self.page_starts(), position, self.newer_than
        )
        return (posts if bound is None else self.posts_before(bound)), offset

    def paginate_queryset(self, queryset, page_size):
        paginator = CountedPaginator(
            queryset,
            page_size,
            count=self.post_count(),
            locate=self.locate,
            allow_empty_first_page=self.allow_empty,
        )
        try:
            page = paginator.page(self.kwargs.get("page", 1))
        except InvalidPage as error:
            raise Http404(str(error)) from error
        return paginator, page, page.object_list, page.has_other_pages()

    def page_url(self, number):
        kwargs = {key: value for key, value in self.kwargs.items() if key != "page"}
        if number == 1:
            return reverse(self.url_name, kwargs=kwargs)
        return reverse(f"{self.url_name}_page", kwargs={**kwargs, "page": number})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["posts"] = add_summaries(list(context["posts"]))
        if page.has_previous():
            context["previous_page_url"] = self.page_url(page.previous_page_number())
        if page.has_next():
            context["next_page_url"] = self.page_url(page.next_page_number())
        return context


def list_page_query(of_list, *, numbers=(), moments=()):
    """Return the CompiledQuery of a list's page: the visible posts dated
    before a `moment` that of_list(posts, **values) keeps, as lists show
    them. `numbers` and `moments` name the values besides the moment.
    """
    return CompiledQuery(
        lambda moment, **values: of_list(
            Post.objects.published_before(moment), **values
        ),
        numbers=numbers,
        moments=["moment", *moments],
        page_rows=lambda posts: posts.for_lists().with_tag_ids(),
    )


class ListPosts:
    """A list's posts as the paginator slices them: a slice runs the list's
    compiled query for that page only.
    """

    def __init__(self, query, **values):
        self.query, self.values = query, values

    def __getitem__(self, page):
        return self.query.run(
            offset=page.start, limit=page.stop - page.start, **self.values
        )


class IndexView(PostListView):
    template_name = "blog/post_list.html"
    url_name = "blog:index"
    # A new blog's front page exists before its first post.
    allow_empty = True
    # The featured posts are left out of the stream: every page shows them
    # at its top (the visible ones; the others are not in the stream).
    list_query = list_page_query(lambda posts: posts.not_featured())

    def get(self, request, *args, **kwargs):
        # An imported blog's old /?p=ID and /?page_id=ID addresses.
        target = old_addresses.id_query_target(request)
        if target and may_redirect(request, target):
            return redirect(target, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # The visible posts are asked for before anything is read, so a
        # broken database fails the page before its first query.
        Post.objects.published(self.now)
        # Every page needs them: they are left out of the stream.
        self.featured = Post.objects.in_featured_slots(self.now)
        return super().get_queryset()

    def post_count(self):
        self.timeline = Timeline(Post.objects, self.now)
        return self.timeline.visible - len(self.featured)

    def newer_than(self, start):
        featured = sum(post.published_at >= start for post in self.featured)
        visible = self.timeline.visible - self.timeline.through(start)
        return max(0, visible) - featured

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            context["featured_posts"] = add_summaries(self.featured, featured=True)
        return context


class TagView(PostListView):
    template_name = "blog/tag_detail.html"
    url_name = "blog:tag_detail"
    list_query = list_page_query(
        lambda posts, tag: posts.filter(tags=tag), numbers=["tag"]
    )

    def get_queryset(self):
        self.tag = Tag.objects.with_slug(self.kwargs["slug"])
        if self.tag is None:
            raise Http404("No tag has this address.")
        return super().get_queryset()

    def list_values(self):
        return {"tag": self.tag.pk}

    def post_count(self):
        self.timeline = Timeline(Post.objects, self.now, tag=self.tag)
        return self.timeline.visible

    def newer_than(self, start):
        return max(0, self.timeline.visible - self.timeline.through(start))

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ArchiveView(PostListView):
    """The posts of a year, or of one month when the URL names it."""

    list_query = list_page_query(
        lambda posts, start: posts.filter(published_at__gte=start), moments=["start"]
    )

    def get_queryset(self):
        try:
            self.start, self.end = archive_range(
                self.kwargs["year"], self.kwargs.get("month")
            )
        except ValueError as error:
            raise Http404("No such date.") from error
        return self.posts_before(self.end)

    def list_values(self):
        return {"start": self.start}

    def boundaries(self):
        """Return the moments whose counts the page needs."""
        return [self.start, self.end]

    def post_count(self):
        self.timeline = Timeline(Post.objects, self.now)
        self.before = self.timeline.before_all(
            [moment for moment in self.boundaries() if moment <= self.now]
        )
        # Visible posts dated before the end: all of them once it is past.
        self.before_end = self.before.get(self.end, self.timeline.visible)
        if self.start > self.now:
            return 0
        return max(0, self.before_end - self.before[self.start])

    def newer_than(self, start):
        return max(0, self.before_end - self.timeline.through(start))

    def page_starts(self):
        return self.timeline.month_starts(self.start, self.end)


class ArchiveYearView(ArchiveView):
    template_name = "blog/post_archive_year.html"
    url_name = "blog:archive_year"

    def boundaries(self):
        # The months' counts too, from the same query.
        months, after = local_months(self.timeline, self.start, self.end)
        return [self.start, self.end, *months, *([after] if after else [])]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        months = visible_months(self.timeline, self.start, self.end, self.before)
        context["months"] = [
            {"month": month, "count": count} for month, count in months
        ]
        context["year"] = self.kwargs["year"]
        return context


class ArchiveMonthView(ArchiveView):
    template_name = "blog/post_archive_month.html"
    url_name = "blog:archive_month"

    def get_context_data(self, **kwargs):
        month = date(self.kwargs["year"], self.kwargs["month"], 1)
        return super().get_context_data(month=month, **kwargs)


@require_safe
def archive_index(request):
    years = archive_years(Timeline(Post.objects, timezone.now()))
    return render(request, "blog/post_archive.html", {"years": years})


@require_safe
def tag_list(request):
    tags = Tag.objects.with_post_counts().filter(post_count__gt=0).order_by("name")
    return render(request, "blog/tag_list.html", {"tags": tags})


def post_page_query(posts, slug, now):
    """Return the one of `posts` at `slug` as its page shows it: with its
    tags' ids and its older and newer posts' titles and slugs.
    """
    return posts.for_lists().with_tag_ids().with_neighbours(now).filter(slug=slug)


# A reader's post page: the query written once per process, as building it
# cost the ORM more than the rest of the page (blog.compiled_queries).
VISIBLE_POST_PAGE = CompiledQuery(
    lambda slug, now: post_page_query(Post.objects.published(now), slug, now),
    texts=["slug"],
    moments=["now"],
)


@require_safe
def post_detail(request, slug):
    # Staff may read drafts and scheduled posts at their future address.
    is_staff = request.user.is_staff
    now = timezone.now()
    if is_staff:
        post = post_page_query(Post.objects.all(), slug, now).first()
    else:
        found = VISIBLE_POST_PAGE.run(slug=slug, now=now)
        post = found[0] if found else None
    if post is None:
        return old_slug_redirect(slug)
    is_published = post.state == Post.State.PUBLISHED
    # Its tags' names and slugs from the tags kept for the content version.
    index = Tag.objects.kept_index()
    tags = [Tag(name=name, slug=slug) for name, slug in tags_of(index, post.tag_ids)]
    context = {"post": post, "tags": tags, "is_preview": not is_published}
    if is_staff:
        context["edit_url"] = reverse("admin:blog_post_change", args=[post.pk])
    if is_published:
        # Read with the post (PostQuerySet.with_neighbours).
        context["older_post"] = neighbour(post.older_title, post.older_slug)
        context["newer_post"] = neighbour(post.newer_title, post.newer_slug)
        site = SiteIdentity.for_request(request)
        context["share_image"] = social_images.share_image(post, site)
        context["structured_data"] = blog_posting(
            post, site, tags, image=context["share_image"]
        )
    return render(request, "blog/post_detail.html", context)


def neighbour(title, slug):
    """Return the post a link to an older or newer post shows, or None."""
    return None if slug is None else Post(title=title, slug=slug)


def old_slug_redirect(slug):
    # Slug history (issue 6): a slug no visible post has may be one a post
    # had before it was renamed; its old URL moves there permanently.
    # A draft or a scheduled post is never a redirect's target.
    post = Post.objects.published().formerly_at(slug).first()
    if post is None:
        raise Http404("No post has this address.")
    return redirect(post, permanent=True)


def blog_posting(post, site, tags, image=None):
    """Return the schema.org BlogPosting that describes a post with its
    `tags`, with the ShareImage `image` when it has one.
    """
    url = absolute_url(post.get_absolute_url())
    modified_at = post.updated_at if post.was_updated else post.published_at
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.description,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": post.published_at.isoformat(timespec="seconds"),
        "dateModified": modified_at.isoformat(timespec="seconds"),
        "wordCount": post.word_count,
        "keywords": [tag.name for tag in tags],
        "publisher": {"@type": "Organization", "name": site.title},
    }
    if site.author_name:
        data["author"] = {"@type": "Person", "name": site.author_name}
    if image:
        data["image"] = image.url
    return data


@require_safe
def robots_txt(request):
    sitemap_url = absolute_url(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    # Browsers and feed readers ask for /favicon.ico whatever the page says.
    return redirect(static("favicon.ico"), permanent=True)


@require_safe
def page_detail(request, path):
    # Staff may read a draft page at its address, as they may a draft post.
    is_staff = request.user.is_staff
    pages = Page.objects.all() if is_staff else Page.objects.published()
    page = pages.filter(path=path).first()
    if page is None:
        raise Http404("No page has this address.")
    context = {"page": page, "is_preview": not page.is_visible}
    if page.is_visible:
        context["share_image"] = social_images.share_image(None, SiteIdentity.load())
    if is_staff:
        context["edit_url"] = reverse("admin:blog_page_change", args=[page.pk])
    return render(request, "blog/page_detail.html", context)


@require_safe
def search_results(request):
    # Any query gets a page: an empty or unsearchable one says what to type.
    query = SearchQuery.parse(request.GET.get("q", ""))
    context = {"query": query}
    if query.is_searchable:
        results = search.search(query)
        paginator = Paginator(results, settings.INKWELL_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        context.update(results=results, page_obj=page, hits=page.object_list)
        if page.has_previous():
            previous_number = page.previous_page_number()
            context["previous_page_url"] = search_url(query, previous_number)
        if page.has_next():
            context["next_page_url"] = search_url(query, page.next_page_number())
    return render(request, "blog/search.html", context)


def search_url(query, page_number):
    params = {"q": query.text}
    if page_number > 1:
        params["page"] = page_number
    return f"{reverse('blog:search')}?{urlencode(params)}"
