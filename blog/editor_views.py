"""The editor's upload and preview endpoints, for staff only.

django-markdownx's own views check no login, and its upload view trusts the
declared content type and accepts SVG (CVE-2024-2319). These replace them
under the same URL names and paths, so the widget's JavaScript is unchanged:
only logged-in staff who may write posts reach them, with a CSRF token;
anyone else gets 403 before anything is stored or rendered.

The preview is `blog.rendering.render_preview`: what saving would store. The
editor's script says which post (`?post=<pk>`, on a saved post's change
page) and which field (`?field=body` or `excerpt`) it previews; a post id
that names none previews a new post. Text over INKWELL_MAX_BODY_KB is
refused with the admin form's message (400), and stays in the editor.

A standalone page's editor says `?page=<pk>` instead; its preview is rendered
by `Page.render`, with the page's ids (`fn-page-3-1`) and address.
"""

from functools import wraps

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from blog.forms import size_error
from blog.models import Page, Post
from blog.rendering import render_preview
from blog.uploads import UploadRefused, store_image


def may_write_posts(user):
    return (
        user.is_active
        and user.is_staff
        and (user.has_perm("blog.add_post") or user.has_perm("blog.change_post"))
    )


def staff_only(refusal):
    def decorator(view):
        only_post = require_POST(view)

        # Who asks is checked first: anyone else gets 403 whatever the method.
        @wraps(view)
        def wrapped(request):
            if not may_write_posts(request.user):
                return refusal()
            return only_post(request)

        return csrf_protect(wrapped)

    return decorator


def refuse_upload():
    message = _(
        "Only staff who write posts can upload images. Log in to the admin "
        "and try again."
    )
    return JsonResponse({"image": [message]}, status=403)


def refuse_preview():
    return HttpResponse(
        _("Only staff who write posts can preview. Log in to the admin."),
        status=403,
        content_type="text/plain; charset=utf-8",
    )


@staff_only(refuse_upload)
def upload(request):
    image = request.FILES.get("image")
    if image is None:
        message = _("No image arrived. Drop or paste an image into the editor.")
        return JsonResponse({"image": [message]}, status=400)
    try:
        url = store_image(image)
    except UploadRefused as refusal:
        return JsonResponse({"image": refusal.messages}, status=400)
    # The shape django-markdownx's script expects.
    return JsonResponse({"image_code": f"![]({url})"})


@staff_only(refuse_preview)
def markdownify(request):
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest(_("There is no Markdown to preview."))
    too_large = size_error(content)
    if too_large:
        return HttpResponseBadRequest(
            too_large, content_type="text/plain; charset=utf-8"
        )
    if "page" in request.GET:
        page = saved_page(request.user, request.GET["page"])
        return HttpResponse(render_preview(content, field="body", post=page))
    field = "excerpt" if request.GET.get("field") == "excerpt" else "body"
    post = saved_post(request.user, request.GET.get("post", ""))
    return HttpResponse(render_preview(content, field=field, post=post))


def saved_post(user, pk):
    """Return the saved post `pk` names, if `user` may see it, else None."""
    return saved(user, Post, pk, fields=["slug", "body", "excerpt"])


def saved_page(user, pk):
    """Return the saved page `pk` names, if `user` may see it, else None."""
    return saved(user, Page, pk, fields=["path", "body"])


def saved(user, model, pk, *, fields):
    """Return the `model` row `pk` names with only `fields` loaded, if `user`
    may see it, else None.
    """
    name = model._meta.model_name
    if not (user.has_perm(f"blog.view_{name}") or user.has_perm(f"blog.change_{name}")):
        return None
    try:
        return model.objects.only(*fields).get(pk=pk)
    except (model.DoesNotExist, ValueError):
        return None
