"""The per-office counters of the province and city roll-up (材料化汇总表), refreshed by Celery.

One row per office (jurisdiction) and year (null = the whole term): the office's *own* figures, computed by
`dashboard.rollup.refresh` with the same `selectors.figures` the county dashboard shows, so there is one
implementation of the counting rules. A higher office's roll-up adds up the rows of its subtree; it never reads
the subordinate offices' records.

Not a domain record: no history (the rows are replaced on every refresh; `computed_at` says when).
"""

from decimal import Decimal

from django.db import models

COUNTERS = [
    # (field, label) — integers
    ("planned_units", "规划单位"),
    ("covered_units", "已覆盖单位"),
    ("rounds", "轮次"),
    ("units_inspected", "巡察单位"),
    ("findings", "发现问题"),
    ("findings_approved", "已审定问题"),
    ("fixed_on_site", "立行立改"),
    ("petitions", "信访件"),
    ("fed_back", "反馈问题"),
    ("rectified", "整改完成问题"),
    ("tasks", "整改任务"),
    ("tasks_closed", "已销号任务"),
    ("tasks_overdue", "逾期未完成任务"),
    ("rules", "建章立制"),
    ("accountable_in_rectification", "整改中问责"),
    ("leads_registered", "登记线索"),
    ("leads_referred", "移交线索"),
    ("leads_disposed", "已处置线索"),
    ("cases_opened", "立案审查调查"),
    ("disciplined", "党纪政务处分"),
    ("organizational", "组织处理"),
    ("admonished", "诫勉谈话"),
    ("accountable_by_receivers", "线索查处问责"),
]
MONEY = [
    ("money_in_rectification", "整改中回收资金"),
    ("money_by_receivers", "线索查处回收资金"),
]


class OfficeFigures(models.Model):
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name="巡察机构", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度（空为全部）", null=True, blank=True)
    computed_at = models.DateTimeField("统计时间")
    planned_units = models.PositiveIntegerField("规划单位", default=0)
    covered_units = models.PositiveIntegerField("已覆盖单位", default=0)
    rounds = models.PositiveIntegerField("轮次", default=0)
    units_inspected = models.PositiveIntegerField("巡察单位", default=0)
    findings = models.PositiveIntegerField("发现问题", default=0)
    findings_approved = models.PositiveIntegerField("已审定问题", default=0)
    fixed_on_site = models.PositiveIntegerField("立行立改", default=0)
    petitions = models.PositiveIntegerField("信访件", default=0)
    fed_back = models.PositiveIntegerField("反馈问题", default=0)
    rectified = models.PositiveIntegerField("整改完成问题", default=0)
    tasks = models.PositiveIntegerField("整改任务", default=0)
    tasks_closed = models.PositiveIntegerField("已销号任务", default=0)
    tasks_overdue = models.PositiveIntegerField("逾期未完成任务", default=0)
    rules = models.PositiveIntegerField("建章立制", default=0)
    accountable_in_rectification = models.PositiveIntegerField("整改中问责", default=0)
    leads_registered = models.PositiveIntegerField("登记线索", default=0)
    leads_referred = models.PositiveIntegerField("移交线索", default=0)
    leads_disposed = models.PositiveIntegerField("已处置线索", default=0)
    cases_opened = models.PositiveIntegerField("立案审查调查", default=0)
    disciplined = models.PositiveIntegerField("党纪政务处分", default=0)
    organizational = models.PositiveIntegerField("组织处理", default=0)
    admonished = models.PositiveIntegerField("诫勉谈话", default=0)
    accountable_by_receivers = models.PositiveIntegerField("线索查处问责", default=0)
    money_in_rectification = models.DecimalField("整改中回收资金", max_digits=18, decimal_places=2, default=Decimal("0"))
    money_by_receivers = models.DecimalField("线索查处回收资金", max_digits=18, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = "巡察机构统计汇总"
        verbose_name_plural = "巡察机构统计汇总"
        ordering = ["jurisdiction_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="office_figures_unique_year"),
            models.UniqueConstraint(
                fields=["jurisdiction"], condition=models.Q(year__isnull=True), name="office_figures_unique_term"
            ),
        ]

    def __str__(self):
        return f"{self.jurisdiction_id}（{self.year or '全部'}）"
