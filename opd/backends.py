"""The login backend of the portal's accounts."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Django's model backend; the user of each request comes with their OPD, which every page header shows."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("opd").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
