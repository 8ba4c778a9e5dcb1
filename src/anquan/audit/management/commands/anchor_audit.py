"""python manage.py anchor_audit — record today's chain heads as daily anchors (run daily by beat/cron)."""
from django.core.management.base import BaseCommand

from anquan.audit.services import anchor_day


class Command(BaseCommand):
    help = "为每条审计链写入当日锚点"

    def handle(self, *args, **options):
        self.stdout.write(f"已写入{anchor_day()}个锚点")
