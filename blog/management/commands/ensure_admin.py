import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure a superuser named 'admin' exists. Its password comes from "
        "DJANGO_ADMIN_PASSWORD, or is generated and printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            self.stdout.write(
                "The admin account already exists (username: admin). To set a "
                "new password: .venv/bin/python manage.py changepassword admin"
            )
            return
        password = os.environ.get("DJANGO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "", password)
        self.stdout.write(
            self.style.SUCCESS(
                "Created the admin account. Log in at /admin/ with\n"
                f"  username: admin\n  password: {password}\n"
                "This password is shown only once."
            )
        )
