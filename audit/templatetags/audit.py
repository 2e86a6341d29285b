"""{% load audit %}: whether to offer the audit log, decided by audit.access like the page itself."""

from django import template

from .. import access

register = template.Library()


@register.filter
def reads_audit_log(user) -> bool:
    return access.can_read_log(user)
