"""Thin Celery tasks: ids in, a service does the work."""

from celery import shared_task

from . import services
from .models import Referral


@shared_task(name="referrals.render_letter")
def render_letter(referral_id):
    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None:
        return None
    services.referral_render_letter(referral=referral)
    return referral_id


@shared_task(name="referrals.remind_unsigned")
def remind_unsigned():
    return services.referrals_remind_unsigned()


@shared_task(name="referrals.remind_overdue")
def remind_overdue():
    return services.leads_remind_overdue()
