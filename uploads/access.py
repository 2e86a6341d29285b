"""Who may see an upload: the officer who sent it, nobody else (a 404 for everyone else)."""

from django.shortcuts import get_object_or_404

from .models import Upload


def get_upload_for_user(user, pk) -> Upload:
    return get_object_or_404(Upload.objects.filter(user=user), pk=pk)
