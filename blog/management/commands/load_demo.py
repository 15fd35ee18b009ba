from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from blog import demo_content
from blog.models import FeaturedSlot, Page, Post, SiteIdentity, Tag


class Command(BaseCommand):
    help = "Create the demo blog on an empty database; change nothing otherwise."

    def handle(self, *args, **options):
        if Post.objects.exists():
            self.stdout.write(
                "The database already has posts; the demo content was not loaded "
                "and nothing was changed."
            )
            return
        with transaction.atomic():
            self.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo blog: {Post.objects.count()} posts, "
                f"{Tag.objects.count()} tags, "
                f"{FeaturedSlot.objects.count()} featured slots."
            )
        )

    def load(self):
        identity = SiteIdentity.load()
        for field, value in demo_content.SITE.items():
            setattr(identity, field, value)
        identity.save()

        tags = {
            key: Tag.objects.create(name=name, description=description)
            for key, (name, description) in demo_content.TAGS.items()
        }
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        for entry in demo_content.FEATURED:
            post = self.create_post(entry, tags, now)
            FeaturedSlot.objects.create(
                position=entry["slot"], post=post, label=entry["label"]
            )
        for entry in demo_content.STREAM + demo_content.HIDDEN:
            self.create_post(entry, tags, now)
        for entry in demo_content.PAGES:
            Page.objects.create(**entry, status=Page.Status.PUBLISHED)

    def create_post(self, entry, tags, now):
        post = Post.objects.create(
            title=entry["title"],
            body=entry["body"],
            continue_text=entry.get("continue_text", ""),
            status=entry.get("status", Post.Status.PUBLISHED),
            published_at=now - timedelta(days=entry["days_ago"]),
        )
        post.tags.set(tags[key] for key in entry["tags"])
        return post
