from django.conf import settings
from django.db import models


class GeneratedFile(models.Model):
    """One generated version of a document or ledger of a record. Old versions stay downloadable until the
    retention limit (settings.GENERATED_FILE_RETENTION_DAYS): then the file is removed and the row, kept, says
    so (剩余信息保护; nothing is hard-deleted)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"
        EXPIRED = "expired", "已过期清除"

    kind = models.CharField("文件类型", max_length=50)
    title = models.CharField("标题", max_length=200)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=40)
    version = models.PositiveIntegerField("版本")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    file = models.FileField("文件", upload_to="generated/%Y/%m/", blank=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    content_type = models.CharField("内容类型", max_length=100, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    error = models.TextField("错误信息", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    expired_at = models.DateTimeField("清除时间", null=True, blank=True)

    class Meta:
        verbose_name = "生成文件"
        verbose_name_plural = "生成文件"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_type", "object_id", "version"], name="generated_file_version"),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(finished_at__isnull=False),
                name="generated_file_done_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(status="expired", expired_at__isnull=False, file="")
                | (~models.Q(status="expired") & models.Q(expired_at__isnull=True)),
                name="generated_file_expired_has_time_and_no_file",
            ),
        ]
        indexes = [
            models.Index(fields=["object_type", "object_id", "kind"], name="generated_file_record"),
            models.Index(fields=["finished_at"], condition=models.Q(status="done"), name="generated_file_done_at"),
        ]

    def __str__(self):
        return f"{self.title}（第{self.version}版）"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)
