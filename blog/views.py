from django.shortcuts import get_object_or_404, render

from blog.models import FeaturedSlot, Post, Tag


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
    post = get_object_or_404(Post.objects.published(), slug=slug)
    return render(request, "blog/post_detail.html", {"post": post})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    posts = tag.posts.published().prefetch_related("tags")
    return render(request, "blog/tag_detail.html", {"tag": tag, "posts": posts})
