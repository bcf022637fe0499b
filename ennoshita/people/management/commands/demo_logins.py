import os
from typing import Any

from django.core.management.base import BaseCommand

from ennoshita.core.models import Membership
from ennoshita.people.management.demo_data import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo logins (one per role)."

    def handle(self, *args: Any, **options: Any) -> None:
        names = [u[0] for u in DEMO_USERS]
        found = {
            m.user.username: m
            for m in Membership.objects.filter(
                user__username__in=names, company__name="株式会社サンプル商事"
            ).select_related("user")
        }
        if not found:
            return
        self.stdout.write("")
        host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
        self.stdout.write(f"  縁の下 Ennoshita — http://{host}:{port}/")
        self.stdout.write(f"  デモ用ログイン (パスワードは全員 {DEMO_PASSWORD}):")
        for name in names:
            m = found.get(name)
            if m is not None and m.user.has_usable_password():
                self.stdout.write(f"    {name:<12} {'・'.join(m.role_labels())}")
        self.stdout.write("")
