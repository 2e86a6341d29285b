"""{% may_withdraw proposal as can_withdraw %}: whether the page offers the village its withdrawal."""

from django import template

from .. import access
from ..seams import deliberation

register = template.Library()


@register.simple_tag(takes_context=True)
def may_withdraw(context, proposal) -> bool:
    """The village's own operator, an item still with its village forum, and that forum not yet
    decided on it: the rule proposals.workflow.withdraw_proposal applies. A query only for the
    operator who may."""
    return access.can_withdraw(context["request"].user, proposal) and deliberation().may_withdraw(proposal)
