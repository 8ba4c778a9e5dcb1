"""python manage.py load_holidays YEAR FILE.csv --user ADMIN --source "国办发明电〔2026〕N号"

Enters a year's official holiday schedule from a CSV (日期,是否上班,名称) through the same
service and checks as the page, attributed to a system administrator (every change has an actor).
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from anquan.accounts.models import User
from anquan.core.errors import DomainError
from anquan.rules import holiday_csv
from anquan.rules.services import holiday_year_load


class Command(BaseCommand):
    help = "录入某一年的法定节假日及调休安排（CSV：日期,是否上班,名称）"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="执行录入的系统管理员用户名（需有 rules.manage 权限）")
        parser.add_argument("--source", required=True, help="依据文件，如国务院办公厅关于某年部分节假日安排的通知及文号")
        parser.add_argument("--reason", default="", help="录入或更正的说明")

    def handle(self, *args, year, file, user, source, reason, **options):
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"用户{user}不存在或已停用")
        try:
            days = holiday_csv.parse(file.read_bytes(), year)
            holiday_year_load(actor=actor, year=year, days=days, source_document=source, reason=reason)
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from None
        except DomainError as exc:
            lines = [m for messages in exc.errors.values() for m in messages] or [exc.message]
            raise CommandError("未录入任何数据：\n" + "\n".join(lines)) from None
        off = sum(1 for _, w, _ in days if not w)
        self.stdout.write(f"已录入{year}年节假日安排：放假{off}天，调休上班{len(days) - off}天")
