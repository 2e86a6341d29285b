"""Signing in: Django's own backend, loading the officer with their region and agency."""

from django.contrib.auth.backends import ModelBackend

from .models import User


class OfficerBackend(ModelBackend):
    def get_user(self, user_id):
        # Every page reads them (scope, filters, the header): one query instead of two or three.
        try:
            user = User.objects.select_related("region", "agency").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
