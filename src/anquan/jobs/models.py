"""Background job records: what a person asked the workers to do, how far it got, and its result file.

Why a record and not only a Celery task: a large export (a district's ledger, 100,000 rows)
takes longer than a request may; the person asks, gets a page that follows the job, and
downloads the file when it is ready — from any app server, since the state is in the
database and the file in the media storage, not in one process's memory or a task result.

A job belongs to the person who asked for it: only they see it (``visible_to``), and the
file is made with *their* scope at the time the job runs.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("正在导出")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ExportKind(models.TextChoices):
    ENTERPRISES = "enterprises", _("企业档案")
    HAZARDS = "hazards", _("隐患清单")
    RECTIFICATION = "rectification", _("整改清单")
    RESPONSIBILITY = "responsibility", _("责任清单")


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """A job is its requester's own: nobody else sees it (not even their superiors)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)

    def unfinished(self):
        return self.exclude(status__in=FINISHED)


def _export_path(job, filename: str) -> str:
    return f"exports/{job.created_at:%Y/%m}/{job.pk}-{filename}"


class ExportJob(models.Model):
    """One export a person asked for: the list and its filters, then progress, row count and the .xlsx."""

    kind = models.CharField(_("导出内容"), max_length=30, choices=ExportKind.choices)
    #: The list's query string as {name: [values]}, exactly as the list page had it.
    params = models.JSONField(_("筛选条件"), default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="export_jobs",
                                     verbose_name=_("申请人"))
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    rows = models.PositiveIntegerField(_("行数"), null=True, blank=True)
    file = models.FileField(_("文件"), upload_to=_export_path, max_length=300, blank=True)
    #: The name the download is offered under (Chinese, e.g. 隐患清单_20261120.xlsx).
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    #: The request that asked for it, to find its log lines.
    request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="exportjob_requester")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED
