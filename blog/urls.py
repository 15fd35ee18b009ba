from django.urls import path, register_converter

from blog import views
from blog.converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

app_name = "blog"

urlpatterns = [
    path("", views.index, name="index"),
    path("posts/<uslug:slug>/", views.post_detail, name="post_detail"),
    path("tags/<uslug:slug>/", views.tag_detail, name="tag_detail"),
]
