from datetime import date
from itertools import groupby
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from blog import old_addresses, search
from blog.models import Page, Post, SiteIdentity, Tag
from blog.redirect_targets import may_redirect
from blog.rendering import absolute_url
from blog.search_query import SearchQuery


class PostListView(ListView):
    """A page of visible posts, newest first, shown the way the stream is.

    Pages live in the path (/page/2/), never in ?page=, so each page has one
    address; page 1 is the list's own URL, named `url_name`, and the others
    are `<url_name>_page`.
    """

    context_object_name = "posts"
    url_name = None
    # Readers' pages are read: any other method is 405 (so is OPTIONS).
    http_method_names = ["get", "head"]
    # A list with no posts is a 404, except where a subclass says otherwise.
    allow_empty = False

    def get(self, request, *args, **kwargs):
        if kwargs.get("page") == 1:
            return redirect(self.page_url(1), permanent=True)
        self.object_list = self.get_queryset()
        # ListView would run an extra exists() query when allow_empty is
        # off; the paginator's count already tells whether page 1 exists.
        return self.render_to_response(self.get_context_data())

    def get_queryset(self):
        return Post.objects.published().prefetch_related("tags")

    def get_paginate_by(self, queryset):
        return settings.INKWELL_PAGE_SIZE

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, allow_empty_first_page=self.allow_empty
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
        if page.has_previous():
            context["previous_page_url"] = self.page_url(page.previous_page_number())
        if page.has_next():
            context["next_page_url"] = self.page_url(page.next_page_number())
        return context


class IndexView(PostListView):
    template_name = "blog/post_list.html"
    url_name = "blog:index"
    # A new blog's front page exists before its first post.
    allow_empty = True

    def get(self, request, *args, **kwargs):
        # An imported blog's old /?p=ID and /?page_id=ID addresses.
        target = old_addresses.id_query_target(request)
        if target and may_redirect(request, target):
            return redirect(target, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().not_featured()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            context["featured_posts"] = Post.objects.published().featured()
        return context


class TagView(PostListView):
    template_name = "blog/tag_detail.html"
    url_name = "blog:tag_detail"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ArchiveView(PostListView):
    """The posts of a year, or of one month when the URL names it."""

    def get_queryset(self):
        try:
            return (
                super()
                .get_queryset()
                .in_archive(self.kwargs["year"], self.kwargs.get("month"))
            )
        except ValueError as error:
            raise Http404("No such date.") from error


class ArchiveYearView(ArchiveView):
    template_name = "blog/post_archive_year.html"
    url_name = "blog:archive_year"

    def get_context_data(self, **kwargs):
        year = self.kwargs["year"]
        months = Post.objects.published().in_archive(year).archive_months()
        return super().get_context_data(year=year, months=months, **kwargs)


class ArchiveMonthView(ArchiveView):
    template_name = "blog/post_archive_month.html"
    url_name = "blog:archive_month"

    def get_context_data(self, **kwargs):
        month = date(self.kwargs["year"], self.kwargs["month"], 1)
        return super().get_context_data(month=month, **kwargs)


@require_safe
def archive_index(request):
    rows = Post.objects.published().archive_months()
    years = []
    for year, months in groupby(rows, key=lambda row: row["month"].year):
        months = list(months)
        count = sum(row["count"] for row in months)
        years.append({"year": year, "count": count, "months": months})
    return render(request, "blog/post_archive.html", {"years": years})


@require_safe
def tag_list(request):
    tags = Tag.objects.with_visible_posts()
    return render(request, "blog/tag_list.html", {"tags": tags})


@require_safe
def post_detail(request, slug):
    # Staff may read drafts and scheduled posts at their future address.
    posts = Post.objects.all() if request.user.is_staff else Post.objects.published()
    post = posts.prefetch_related("tags").filter(slug=slug).first()
    if post is None:
        return old_slug_redirect(slug)
    is_published = post.state == Post.State.PUBLISHED
    context = {"post": post, "is_preview": not is_published}
    if is_published:
        visible = Post.objects.published()
        context["older_post"] = visible.older_than(post).first()
        context["newer_post"] = visible.newer_than(post).first()
        context["structured_data"] = blog_posting(post, SiteIdentity.load())
    return render(request, "blog/post_detail.html", context)


def old_slug_redirect(slug):
    # Slug history (issue 6): a slug no visible post has may be one a post
    # had before it was renamed; its old URL moves there permanently.
    # A draft or a scheduled post is never a redirect's target.
    post = Post.objects.published().formerly_at(slug).first()
    if post is None:
        raise Http404("No post has this address.")
    return redirect(post, permanent=True)


def blog_posting(post, site):
    """Return the schema.org BlogPosting that describes a post."""
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
        "keywords": [tag.name for tag in post.tags.all()],
        "publisher": {"@type": "Organization", "name": site.title},
    }
    if site.author_name:
        data["author"] = {"@type": "Person", "name": site.author_name}
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
    pages = Page.objects.all() if request.user.is_staff else Page.objects.published()
    page = pages.filter(path=path).first()
    if page is None:
        raise Http404("No page has this address.")
    context = {"page": page, "is_preview": not page.is_visible}
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
