"""python manage.py load_demo — build the demo city (示范市), unless it is loaded already."""
import datetime
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from anquan.demo.generator import CITY, DemoAlreadyLoaded, build_demo, is_loaded
from anquan.demo.hazards import HAZARDS_PER_ENTERPRISE


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为YYYY-MM-DD：{value}") from exc


class Command(BaseCommand):
    help = "生成示范数据：示范省 → 示范市 → 示范区（完整）与邻区（精简），以及演示用户（演示模式下密码 anquan-demo）"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（默认2026）")
        parser.add_argument("--as-of", type=_date, default=None, help="数据基准日 YYYY-MM-DD（默认今天，北京时间）")
        parser.add_argument("--cities", type=int, default=1, help="城市数（默认1；多于1时另建城市，用于全省规模压测）")
        parser.add_argument("--districts", type=int, default=2, help="每个附加城市的区县数（默认2）")
        parser.add_argument("--streets", type=int, default=12, help="示范区的街道/乡镇数（默认12）")
        parser.add_argument("--enterprises", type=int, default=2000, help="示范区的企业数（默认2000）")
        parser.add_argument("--hazards", type=int, default=None,
                            help="示范区一年的隐患数（默认为企业数的2.5倍，即约5000条；0为不生成；邻区按同一比例）")
        parser.add_argument("--inspections", action="store_true",
                            help="另生成示范区一年的检查记录和演示用的检查计划、检查任务（make demo 默认加此项）")
        parser.add_argument("--force", action="store_true", help="已加载时清空数据库后重建（仅演示模式）")

    def handle(self, *args, **opts):
        if is_loaded() and not opts["force"]:
            self.stdout.write(f"示范数据已加载（{CITY}已存在），跳过；如需重建请加 --force")
            return
        started = time.perf_counter()
        per_enterprise = HAZARDS_PER_ENTERPRISE if opts["hazards"] is None else max(0, opts["hazards"]) / max(1, opts["enterprises"])
        try:
            build_demo(seed=opts["seed"], as_of=opts["as_of"], streets=opts["streets"], enterprises=opts["enterprises"],
                       cities=opts["cities"], districts=opts["districts"], force=opts["force"], log=self.stdout.write,
                       hazards_per_enterprise=per_enterprise, inspections=opts["inspections"])
        except (ValueError, ImproperlyConfigured, DemoAlreadyLoaded) as exc:
            raise CommandError(str(exc)) from exc
        if opts["cities"] == 1:
            # The embedded demo has no beat: sweep once so overdue and due-soon hazards are in the inboxes.
            from anquan.notifications import kinds
            from anquan.notifications.sweep import sweep

            counts = sweep()
            self.stdout.write("消息提醒：" + "，".join(f"{kinds.label(k)}{n}条" for k, n in counts.items() if n))
        else:
            self.stdout.write("消息提醒：全省规模数据请另行运行 manage.py notify_sweep")
        if not settings.DEMO_MODE:
            self.stderr.write(self.style.WARNING("演示账号密码未设置：需以 ANQUAN_DEMO=1 运行 load_demo 才能用 anquan-demo 登录"))
        self.stdout.write(self.style.SUCCESS(f"示范数据加载完成，用时{time.perf_counter() - started:.1f}秒"))
