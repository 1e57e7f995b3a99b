"""The referral letter (移交函) as an official-document PDF."""

from inspection.documents import official_date, render_pdf

from .models import LeadStatus, PetitionConclusion


def referral_letter_context(referral) -> dict:
    leads = list(
        referral.leads.exclude(status=LeadStatus.WITHDRAWN).select_related("round__plan").order_by("pk")
    )
    rounds = []
    for lead in leads:
        if lead.round.title not in rounds:
            rounds.append(lead.round.title)
    return {
        "referral": referral,
        "leads": leads,
        "rounds": rounds,
        "untrue_count": sum(1 for lead in leads if lead.petition_conclusion == PetitionConclusion.UNTRUE),
        "letter_date_cn": official_date(referral.letter_date),
    }


def referral_letter_pdf(referral) -> bytes:
    return render_pdf("pdf/referrals/letter.html", referral_letter_context(referral))
