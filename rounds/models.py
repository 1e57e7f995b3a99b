from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from inspection.core import masking
from inspection.core.fields import BlindIndexField, EncryptedCharField


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


class ActiveTeamUnitManager(models.Manager):
    """Assignments in force. A withdrawn assignment is kept for its history but is no assignment any more, so the
    default manager (and every `team.team_units`, `round.team_units`, `unit.team_units`) leaves it out: team
    scoping, coverage, the dashboard and the checks of other apps all mean the units a team inspects now."""

    def get_queryset(self):
        return super().get_queryset().filter(withdrawn_at__isnull=True)


class TeamUnit(models.Model):
    """A unit inspected by a team in a round. A unit is inspected by one team per round.

    Before on-site work the office may withdraw the assignment or move the unit to another team of the round
    (`rounds.services.team_unit_withdraw`): the row stays, with who, when and why, and the new assignment of a
    move points back to it (`moved_from`). `objects` holds the assignments in force, `all_objects` every row.
    """

    team = models.ForeignKey(Team, verbose_name="巡察组", on_delete=models.PROTECT, related_name="team_units")
    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="team_units")
    unit = models.ForeignKey("units.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="team_units")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    moved_from = models.OneToOneField(
        "self", verbose_name="由该安排调整而来", null=True, blank=True, on_delete=models.PROTECT, related_name="moved_to"
    )
    withdrawn_at = models.DateTimeField("调整出组时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="调整人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField("调整理由", blank=True, default="")
    history = HistoricalRecords()
    # Every row, withdrawn ones too (history pages, the withdrawal service, admin). Declared before `objects`,
    # which Meta names the default manager.
    all_objects = models.Manager()

    objects = ActiveTeamUnitManager()

    class Meta:
        verbose_name = "巡察对象"
        verbose_name_plural = "巡察对象"
        ordering = ["team_id", "id"]
        default_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="teamunit_one_active_team_per_unit_in_round",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True, withdrawal_reason="")
                    | (models.Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False) & ~models.Q(withdrawal_reason=""))
                ),
                name="teamunit_withdrawal_has_who_when_why",
            ),
        ]

    def __str__(self):
        return f"{self.team.name} — {self.unit}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


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
        constraints = [
            models.UniqueConstraint(fields=["team", "cadre"], name="membership_unique_cadre_in_team"),
            # One leader per team, enforced by the database: two offices adding a leader at the same moment both
            # pass the service's check, and this index refuses the second insert (the service answers in Chinese).
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(position="leader", is_active=True),
                name="membership_one_active_leader_per_team",
            ),
        ]
        # Every team scope check starts from the user's cadre's active places (`inspection.core.team_scope`).
        indexes = [models.Index(fields=["cadre", "is_active"], name="membership_cadre_active")]

    def __str__(self):
        return f"{self.team.name} {self.get_position_display()} {self.cadre}"


# Optimistic version of a record edited by several people (a team logs petitions and inquiries together): an edit
# names the version it was made on, and the service saves it only if the row is still at that version.
VERSION_HELP = "每次保存加一；修改时须提交读取时的版本，已被他人修改则不予保存"


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
    petitioner_name = EncryptedCharField("信访人姓名", max_length=50, blank=True, kind=masking.NAME)
    petitioner_contact = EncryptedCharField("信访人联系方式", max_length=100, blank=True, kind=masking.CONTACT)
    petitioner_contact_index = BlindIndexField("信访人联系方式（盲索引）", source="petitioner_contact")
    subject_person = EncryptedCharField("被反映人", max_length=50, blank=True, kind=masking.NAME)
    subject_post = models.CharField("被反映人职务", max_length=100, blank=True)
    summary = models.TextField("反映内容摘要")
    handling = models.TextField("办理情况", blank=True)
    conclusion = models.CharField("办理结论", max_length=20, choices=Conclusion.choices, default=Conclusion.PENDING)
    conclusion_text = models.TextField("结论说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False, help_text=VERSION_HELP)
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


class RecusalCheck(models.Model):
    """One run of a recusal check (三次回避) for one cadre against the units of one team.

    Recorded whether it passes or not; a conflict blocks the assignment until the office overrides it
    with a written reason (or the cadre is taken off the team).
    """

    class Stage(models.IntegerChoices):
        LEADERS = 1, "第一次回避（确定组长、副组长）"
        MEMBERS = 2, "第二次回避（抽调组员）"
        APPLICATION = 3, "第三次回避（本人申请回避）"

    class Trigger(models.TextChoices):
        MEMBER = "member", "安排进组"
        UNIT = "unit", "增加被巡察单位"
        APPLICATION = "application", "本人申请回避"

    class Result(models.TextChoices):
        PASSED = "passed", "无回避情形"
        CONFLICT = "conflict", "存在回避情形"
        OVERRIDDEN = "overridden", "巡察办书面说明后安排"
        WITHDRAWN = "withdrawn", "已回避（调整出组、调整被巡察单位或未安排）"

    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="recusal_checks")
    team = models.ForeignKey(Team, verbose_name="巡察组", on_delete=models.PROTECT, related_name="recusal_checks")
    cadre = models.ForeignKey(
        "units.Cadre", verbose_name="巡察干部", on_delete=models.PROTECT, related_name="recusal_checks"
    )
    stage = models.PositiveSmallIntegerField("回避环节", choices=Stage.choices)
    trigger = models.CharField("触发事项", max_length=20, choices=Trigger.choices)
    position = models.CharField("拟任职务", max_length=10, choices=Membership.Position.choices, blank=True)
    start_date = models.DateField("拟在组开始日期", null=True, blank=True)
    end_date = models.DateField("拟在组结束日期", null=True, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="拟增加的被巡察单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    factors = models.ManyToManyField("units.RecusalFactor", verbose_name="命中的回避因素", blank=True, related_name="+")
    detail = models.TextField("检查情况", blank=True)
    result = models.CharField("结果", max_length=20, choices=Result.choices)
    membership = models.ForeignKey(
        Membership, verbose_name="对应组内职务", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="检查发起人", on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField("检查时间", auto_now_add=True)
    override_reason = models.TextField("书面说明理由", blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="说明人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overridden_at = models.DateTimeField("说明时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "回避检查记录"
        verbose_name_plural = "回避检查记录"
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["round", "result"], name="recusalcheck_round_result")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(result="overridden") | (~models.Q(override_reason="") & models.Q(overridden_at__isnull=False)),
                name="recusalcheck_override_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.cadre}（{self.get_stage_display()}）{self.get_result_display()}"


class Announcement(models.Model):
    """巡察公告: how the public reaches the team during on-site work."""

    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="announcements")
    team = models.ForeignKey(Team, verbose_name="巡察组", on_delete=models.PROTECT, related_name="announcements")
    unit = models.ForeignKey(
        "units.Unit", verbose_name="被巡察单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hotline = models.CharField("举报电话", max_length=50)
    mailbox = models.CharField("意见箱位置", max_length=200, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("来信地址", max_length=200, blank=True)
    start_date = models.DateField("受理开始日期")
    end_date = models.DateField("受理截止日期")
    published_on = models.DateField("发布日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "巡察公告"
        verbose_name_plural = "巡察公告"
        ordering = ["round_id", "team_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="announcement_dates_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.team.name}巡察公告"


class InfoRequest(models.Model):
    """巡前征询函: asks a department what it knows about a unit before the team goes in."""

    class Recipient(models.TextChoices):
        DISCIPLINE_PETITIONS = "discipline_petitions", "纪委监委信访室"
        ORGANIZATION_SUPERVISION = "organization_supervision", "组织部干部监督科"
        AUDIT = "audit", "审计局"
        FINANCE = "finance", "财政局"
        PETITIONS = "petitions", "信访局"
        PUBLIC_SECURITY = "public_security", "公安局"
        PROCURATORATE = "procuratorate", "检察院"
        COURT = "court", "法院"
        OTHER = "other", "其他部门"

    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="info_requests")
    unit = models.ForeignKey("units.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField("征询对象", max_length=30, choices=Recipient.choices)
    recipient_other = models.CharField("其他部门名称", max_length=100, blank=True)
    content = models.TextField("征询事项", blank=True)
    sent_on = models.DateField("发函日期")
    due_date = models.DateField("回复期限")
    replied_on = models.DateField("回复日期", null=True, blank=True)
    reply = models.TextField("回复内容", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "巡前征询函"
        verbose_name_plural = "巡前征询函"
        ordering = ["round_id", "unit_id", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(due_date__gte=models.F("sent_on")), name="inforequest_due_after_sent"),
        ]

    def __str__(self):
        return f"{self.unit}征询函（{self.recipient_label}）"

    @property
    def recipient_label(self):
        return self.recipient_other if self.recipient == self.Recipient.OTHER and self.recipient_other else self.get_recipient_display()


class DefaultMaterialItem(models.Model):
    """An office's default material list (调阅资料清单): applied to a unit of a round in one step."""

    jurisdiction = models.ForeignKey("accounts.Jurisdiction", verbose_name="管辖范围", on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("资料名称", max_length=200)
    description = models.CharField("说明", max_length=300, blank=True)
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "默认调阅资料"
        verbose_name_plural = "默认调阅资料"
        ordering = ["jurisdiction_id", "order", "id"]

    def __str__(self):
        return self.name


class MaterialItem(models.Model):
    """One document a unit must hand over to the team: requested, then received."""

    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="material_items")
    unit = models.ForeignKey("units.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("资料名称", max_length=200)
    description = models.CharField("说明", max_length=300, blank=True)
    requested_on = models.DateField("调阅日期")
    received_on = models.DateField("收到日期", null=True, blank=True)
    notes = models.CharField("备注", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "调阅资料"
        verbose_name_plural = "调阅资料"
        ordering = ["round_id", "unit_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit", "name"], name="materialitem_unique_name"),
        ]

    def __str__(self):
        return self.name


class Inquiry(models.Model):
    """过问登记: someone asked about or intervened in the inspection. Secret; reported to the leading group."""

    class Manner(models.TextChoices):
        GREETING = "greeting", "打招呼"
        PLEADING = "pleading", "说情"
        PROBING = "probing", "打听"
        OTHER = "other", "其他"

    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="inquiries")
    team = models.ForeignKey(Team, verbose_name="巡察组", on_delete=models.PROTECT, related_name="inquiries")
    asker_name = models.CharField("过问人姓名", max_length=50)
    asker_post = models.CharField("过问人单位职务", max_length=120, blank=True)
    asked_person = models.CharField("被过问人", max_length=50)
    asked_on = models.DateField("过问日期")
    manner = models.CharField("过问方式", max_length=20, choices=Manner.choices)
    subject = models.TextField("过问事项")
    handling = models.TextField("处理情况", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False, help_text=VERSION_HELP)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "过问登记"
        verbose_name_plural = "过问登记"
        ordering = ["-asked_on", "-id"]

    def __str__(self):
        return f"过问登记{self.pk}（{self.asked_on:%Y-%m-%d}）"


class Interview(models.Model):
    """个别谈话: who was talked to, when, by whom. Counts feed the report; the contents are secret (every read logged)."""

    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="interviews")
    team = models.ForeignKey(Team, verbose_name="巡察组", on_delete=models.PROTECT, related_name="interviews")
    unit = models.ForeignKey("units.Unit", verbose_name="被巡察单位", on_delete=models.PROTECT, related_name="+")
    interviewee_name = models.CharField("谈话对象", max_length=50)
    interviewee_post = models.CharField("谈话对象职务", max_length=120, blank=True)
    held_on = models.DateField("谈话日期")
    interviewers = models.CharField("谈话人", max_length=120)
    notes = models.TextField("谈话要点", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "个别谈话"
        verbose_name_plural = "个别谈话"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        # Not the interviewee: interviews are secret, and this text reaches titles, the admin and the read log.
        return f"个别谈话{self.pk}（{self.held_on:%Y-%m-%d}）"


class CadreEvaluation(models.Model):
    """考评: how a cadre served on a team, recorded by the office after the round's on-site work."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", "优秀"
        COMPETENT = "competent", "称职"
        BASIC = "basic", "基本称职"
        INCOMPETENT = "incompetent", "不称职"

    membership = models.OneToOneField(
        Membership, verbose_name="组内职务", on_delete=models.PROTECT, related_name="evaluation"
    )
    score = models.PositiveSmallIntegerField("考评得分")
    grade = models.CharField("考评等次", max_length=20, choices=Grade.choices)
    comment = models.TextField("考评意见", blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="考评人", on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField("考评时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "巡察干部考评"
        verbose_name_plural = "巡察干部考评"
        ordering = ["membership_id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__lte=100), name="cadreevaluation_score_at_most_100"),
        ]

    def __str__(self):
        return f"{self.membership.cadre}（{self.get_grade_display()}）"
