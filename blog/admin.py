from django.contrib import admin

from blog.models import FeaturedSlot, Post, SiteIdentity, SlugRedirect, Tag


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["tags"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FeaturedSlot)
class FeaturedSlotAdmin(admin.ModelAdmin):
    list_display = ["position", "post", "label"]
    ordering = ["position"]


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "post", "created_at"]


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not SiteIdentity.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
