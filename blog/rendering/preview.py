"""The admin's live preview: what saving the field would store.

The editor's script says which field it previews (`body` or `excerpt`) and,
on a saved post's change page, which post. A saved post is rendered by its
own `Post.render`, so its ids carry the post's id and its footnote links its
stored address, exactly as in `body_html` and `excerpt_html`; the other field
and the slug are the stored ones until the post is saved. A new post is
rendered without an id: its ids say "preview".
"""

from blog.rendering.pipeline import render_post


def render_preview(content, *, field, post=None):
    """Return the HTML that saving `content` as `field` ("body" or
    "excerpt") of `post` would store; without a post, a new post's.
    """
    if post is None:
        text = {"body": "", "excerpt": "", field: content}
        rendered = render_post(text["body"], excerpt=text["excerpt"])
        return rendered.excerpt_html if field == "excerpt" else rendered.body_html
    setattr(post, field, content)
    post.render()  # only fills the instance's HTML; nothing is saved
    return post.excerpt_html if field == "excerpt" else post.body_html
