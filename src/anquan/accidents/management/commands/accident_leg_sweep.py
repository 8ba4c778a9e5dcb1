from django.core.management.base import BaseCommand

from anquan.accidents.sweep import sweep_legs


class Command(BaseCommand):
    help = "提醒事故报告环节的上报时限（将至、超时）；建议每5分钟运行一次"

    def handle(self, *args, **options):
        counts = sweep_legs()
        self.stdout.write(f"时限将至 {counts['soon']} 条，已超时 {counts['late']} 条")
