"""auditlog's middleware, which gives every entry written during a request its actor (the
request's officer) and address, with the address read as our own front server saw it."""

from auditlog.middleware import AuditlogMiddleware

from .recording import client_ip


class AuditActorMiddleware(AuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)
