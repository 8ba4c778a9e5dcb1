"""python manage.py verify_audit — exits 1 naming the first bad event of each broken chain."""
from django.core.management.base import BaseCommand, CommandError

from anquan.audit.models import AuditChain
from anquan.audit.verify import verify_all


class Command(BaseCommand):
    help = "校验审计链：发现篡改、删除、插入、调换或截断时以非零状态退出，并指出第一个问题事件"

    def handle(self, *args, **options):
        problems = verify_all()
        if problems:
            for p in problems:
                self.stderr.write(str(p))
            raise CommandError(f"审计链校验失败：{len(problems)}条链有问题")
        self.stdout.write(f"审计链校验通过：{AuditChain.objects.count()}条链完好")
