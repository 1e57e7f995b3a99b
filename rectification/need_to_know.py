"""What an overseer needs to know of findings because of rectification (inspection.core.access need-to-know)."""

from inspection.core import access

from .models import Feedback, ProblemItem


def findings_on_problem_lists(user):
    """Ids of the findings on the problem lists (问题清单) of the feedbacks the user may see: for discipline and
    organization, the rectification of their jurisdiction they oversee (`FeedbackPolicy`)."""
    return ProblemItem.objects.filter(feedback__in=access.visible(user, Feedback)).values("finding_id")
