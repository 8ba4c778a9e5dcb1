"""python manage.py send_digest [--date YYYY-MM-DD] — e-mail each person one digest of the day's notifications."""
import datetime

from django.core.management.base import BaseCommand, CommandError

from anquan.notifications.digest import send_digest


class Command(BaseCommand):
    help = "发送每日消息摘要邮件（每人每天一封）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="摘要日期（YYYY-MM-DD，默认今天，上海时间）")

    def handle(self, *args, **options):
        day = None
        if options.get("date"):
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("日期格式应为YYYY-MM-DD") from None
        self.stdout.write(f"已发送{send_digest(day)}封摘要邮件")
