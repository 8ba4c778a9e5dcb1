"""python manage.py notify_sweep [--date YYYY-MM-DD] — create today's deadline notifications (idempotent; run by beat/cron)."""
import datetime

from django.core.management.base import BaseCommand, CommandError

from anquan.notifications import kinds
from anquan.notifications.sweep import sweep


class Command(BaseCommand):
    help = "扫描隐患期限，生成到期提醒、逾期提醒和督办期限提醒（可重复执行，不会重复提醒）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天扫描（YYYY-MM-DD，默认今天，上海时间）")

    def handle(self, *args, **options):
        day = None
        if options.get("date"):
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("日期格式应为YYYY-MM-DD") from None
        counts = sweep(day)
        summary = "，".join(f"{kinds.label(k)}{n}条" for k, n in counts.items())
        self.stdout.write(f"新增提醒：{summary}")
