"""A paginator that is told its count and where a page starts.

Django's paginator counts its list with COUNT(*) and reaches page n with
OFFSET (n - 1) * size: both walk every post before the page, so a deep
page of a large blog costs as much as the blog. Inkwell's lists know their
count from blog.post_counts, and a `locate` callable turns a position into
a bound on the date and a short offset from it.
"""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count, locate=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count = count
        # locate(queryset, position) -> (queryset, offset): the same posts
        # from `position` on, as a narrower queryset and an offset into it.
        self.locate = locate

    @property
    def count(self):
        return self._count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        posts, offset = self.object_list, bottom
        if self.locate is not None:
            posts, offset = self.locate(posts, bottom)
        return self._get_page(posts[offset : offset + top - bottom], number, self)
