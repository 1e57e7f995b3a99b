from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "问题线索移交"

    def ready(self):
        from inspection.accounts.roles import OFFICE, OVERSIGHT, RECEIVERS, TEAM
        from inspection.core import access, navigation, record_actions, sensitive_names

        from . import permissions  # noqa: F401 - registers the access policies
        from .need_to_know import findings_behind_referred_leads
        from .sensitive import lead_subject_names
        from .shortcuts import petition_to_lead, refer_finding

        # A receiver reads the findings behind the leads referred to it (findings cannot import this app).
        access.register_need_to_know("findings", findings_behind_referred_leads)

        # Lead subjects' names are kept out of public texts (整改公开), which cannot import this app.
        sensitive_names.register(lead_subject_names)

        # Where a lead starts: shortcuts on the finding and petition pages (those apps cannot import this one).
        record_actions.register("findings.finding", refer_finding)
        record_actions.register("rounds.petition", petition_to_lead)

        navigation.register("问题线索", "referrals:lead_list", OVERSIGHT, order=40, icon="incognito")
        navigation.register("移交批次", "referrals:batch_list", OVERSIGHT, order=41, icon="send")
        navigation.register("接收工作台", "referrals:workspace", RECEIVERS, order=42, icon="inbox")
        navigation.register("查阅日志", "referrals:read_log", OFFICE, order=43, icon="journal-text")
        navigation.register("移交统计", "referrals:statistics", OVERSIGHT, order=44, icon="bar-chart")
        # The team's only door to leads: what it found and whether it was referred.
        navigation.register("本组线索", "referrals:referred", TEAM, order=45, icon="send-check")
