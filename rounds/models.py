from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Plan(models.Model):
    """A term plan (巡察规划): the units that must all be inspected once in the term (全覆盖)."""

    jurisdiction = models.ForeignKey("accounts.Jurisdiction", verbose_name="管辖范围", on_delete=models.PROTECT)
    name = models.CharField("规划名称", max_length=120)
    start_year = models.PositiveSmallIntegerField("起始年度")
    end_year = models.PositiveSmallIntegerField("截止年度")
    units = models.ManyToManyField("units.Unit", verbose_name="规划覆盖单位", related_name="plans", blank=True)
    notes = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = "巡察规划"
        verbose_name_plural = "巡察规划"
        ordering = ["-start_year", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")), name="plan_years_ordered"),
        ]

    def __str__(self):
        return self.name


class RoundKind(models.TextChoices):
    REGULAR = "regular", "常规巡察"
    SPECIAL = "special", "专项巡察"
    MOBILE = "mobile", "机动巡察"
    CROSS = "cross", "交叉巡察"
    ELEVATED = "elevated", "提级巡察"
    LINKED = "linked", "联动巡察"
    LOOKBACK = "lookback", "巡察“回头看”"


class Phase(models.TextChoices):
    PREPARATION = "preparation", "准备"
    ONSITE = "onsite", "进驻"
    REPORT = "report", "报告"
    FEEDBACK = "feedback", "反馈"
    REFERRAL = "referral", "移交"
    RECTIFICATION = "rectification", "整改"
    COMPLETED = "completed", "完成"


class Round(models.Model):
    """第N轮巡察: its kind, dates and phase. The phase only moves through `rounds.services`."""

    jurisdiction = models.ForeignKey("accounts.Jurisdiction", verbose_name="管辖范围", on_delete=models.PROTECT)
    plan = models.ForeignKey(Plan, verbose_name="所属规划", on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField("轮次")
    kind = models.CharField("巡察方式", max_length=20, choices=RoundKind.choices, default=RoundKind.REGULAR)
    topic = models.CharField("专项主题", max_length=200, blank=True)
    start_date = models.DateField("进驻开始日期")
    end_date = models.DateField("进驻结束日期")
    phase = models.CharField("阶段", max_length=20, choices=Phase.choices, default=Phase.PREPARATION)
    phase_changed_at = models.DateTimeField("阶段变更时间", null=True, blank=True)
    lookback_of = models.ManyToManyField(
        "self", verbose_name="回头看对应的原轮次", symmetrical=False, blank=True, related_name="lookbacks"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "巡察轮次"
        verbose_name_plural = "巡察轮次"
        ordering = ["-plan__start_year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="round_unique_number_in_plan"),
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="round_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.plan.start_year}—{self.plan.end_year}年第{self.number}轮{self.get_kind_display()}"

    @property
    def title(self):
        return f"第{self.number}轮{self.get_kind_display()}" + (f"（{self.topic}）" if self.topic else "")


class PhaseChange(models.Model):
    """One row per phase change of a round: from, to, who, when, why."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="phase_changes")
    from_phase = models.CharField("原阶段", max_length=20, choices=Phase.choices)
    to_phase = models.CharField("新阶段", max_length=20, choices=Phase.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "阶段变更记录"
        verbose_name_plural = "阶段变更记录"
        ordering = ["at", "id"]


class Team(models.Model):
    """A team within a round (巡察组) and the units it inspects."""

    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="teams")
    name = models.CharField("组名", max_length=50, help_text="如：第一巡察组")
    units = models.ManyToManyField("units.Unit", through="TeamUnit", verbose_name="被巡察单位", related_name="teams")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "巡察组"
        verbose_name_plural = "巡察组"
        ordering = ["round_id", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="team_unique_name_in_round")]

    def __str__(self):
        return f"{self.round.title}{self.name}"


class TeamUnit(models.Model):
    """A unit inspected by a team in a round. A unit is inspected by one team per round."""

    team = models.ForeignKey(Team, verbose_name="巡察组", on_delete=models.PROTECT, related_name="team_units")
    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="team_units")
    unit = models.ForeignKey("units.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="team_units")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "巡察对象"
        verbose_name_plural = "巡察对象"
        ordering = ["team_id", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="teamunit_one_team_per_unit_in_round")]

    def __str__(self):
        return f"{self.team.name} — {self.unit}"


class Membership(models.Model):
    """A cadre's place on a team: leader (组长), deputy (副组长) or member (组员)."""

    class Position(models.TextChoices):
        LEADER = "leader", "组长"
        DEPUTY = "deputy", "副组长"
        MEMBER = "member", "组员"

    team = models.ForeignKey(Team, verbose_name="巡察组", on_delete=models.PROTECT, related_name="memberships")
    cadre = models.ForeignKey("units.Cadre", verbose_name="巡察干部", on_delete=models.PROTECT, related_name="memberships")
    position = models.CharField("职务", max_length=10, choices=Position.choices)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    is_active = models.BooleanField("在组", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "巡察组成员"
        verbose_name_plural = "巡察组成员"
        ordering = ["team_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "cadre"], name="membership_unique_cadre_in_team")]

    def __str__(self):
        return f"{self.team.name} {self.get_position_display()} {self.cadre}"


class Petition(models.Model):
    """A letter, call, visit or report received during a round (信访件). Secret: every read is logged."""

    class Channel(models.TextChoices):
        LETTER = "letter", "来信"
        CALL = "call", "来电"
        VISIT = "visit", "来访"
        ONLINE = "online", "网络举报"
        MAILBOX = "mailbox", "意见箱"

    class Conclusion(models.TextChoices):
        PENDING = "pending", "尚未了结"
        TRUE = "true", "属实"
        PARTLY_TRUE = "partly_true", "部分属实"
        UNTRUE = "untrue", "不属实"
        UNVERIFIABLE = "unverifiable", "无法查证"

    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="petitions")
    team = models.ForeignKey(Team, verbose_name="巡察组", on_delete=models.PROTECT, related_name="petitions")
    unit = models.ForeignKey(
        "units.Unit", verbose_name="涉及单位", null=True, blank=True, on_delete=models.PROTECT, related_name="petitions"
    )
    channel = models.CharField("来源渠道", max_length=10, choices=Channel.choices)
    received_on = models.DateField("收到日期")
    is_anonymous = models.BooleanField("匿名", default=False)
    petitioner_name = models.CharField("信访人姓名", max_length=50, blank=True)
    petitioner_contact = models.CharField("信访人联系方式", max_length=100, blank=True)
    subject_person = models.CharField("被反映人", max_length=50, blank=True)
    subject_post = models.CharField("被反映人职务", max_length=100, blank=True)
    summary = models.TextField("反映内容摘要")
    handling = models.TextField("办理情况", blank=True)
    conclusion = models.CharField("办理结论", max_length=20, choices=Conclusion.choices, default=Conclusion.PENDING)
    conclusion_text = models.TextField("结论说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "信访件"
        verbose_name_plural = "信访件"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_anonymous=True) | ~models.Q(petitioner_name=""),
                name="petition_named_unless_anonymous",
            ),
        ]

    def __str__(self):
        return f"信访件{self.pk}（{self.get_channel_display()} {self.received_on:%Y-%m-%d}）"
