"""Events of the rounds app that higher apps (findings, referrals, rectification) may react to in ready()."""

from django.dispatch import Signal

# Sent after commit when a round changes phase: sender=Round, round=, from_phase=, to_phase=, actor=.
round_phase_changed = Signal()
