from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from blog.models import FeaturedSlot, Post, SlugRedirect, Tag


def index(request):
    slots = FeaturedSlot.objects.filter(
        post__in=Post.objects.published()
    ).select_related("post")
    posts = (
        Post.objects.published()
        .exclude(featured_slot__isnull=False)
        .prefetch_related("tags")
    )
    return render(request, "blog/index.html", {"slots": slots, "posts": posts})


def post_detail(request, slug):
    post = Post.objects.published().filter(slug=slug).first()
    if post is None:
        return old_slug_redirect(slug)
    return render(request, "blog/post_detail.html", {"post": post})


def old_slug_redirect(slug):
    # Slug history (issue 6): a slug no visible post has may be one a post
    # had before it was renamed; its old URL moves there permanently.
    post = SlugRedirect.objects.post_for(slug)
    if post is None:
        raise Http404("No post has this address.")
    return redirect(post, permanent=True)


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    posts = tag.posts.published().prefetch_related("tags")
    return render(request, "blog/tag_detail.html", {"tag": tag, "posts": posts})
