"""System checks of the catalogue's data (run with ``manage.py check --database default``)."""

from django.core import checks
from django.db.models import Count


@checks.register(checks.Tags.database)
def check_one_producer_per_user(app_configs=None, databases=None, **kwargs):
    """A user works for one producer: the portal refuses a user linked to several."""
    if not databases:
        return []
    from django.contrib.auth import get_user_model
    from django.db import connection

    User = get_user_model()
    # ``migrate`` runs database checks before it creates any table.
    if User._meta.db_table not in connection.introspection.table_names():
        return []
    users = (
        User.objects.filter(partners__producer__isnull=False)
        .annotate(producers=Count("partners__producer", distinct=True))
        .filter(producers__gt=1)
    )
    return [
        checks.Error(
            f"User {user.email or user.username} is linked to {user.producers} producers; keep one.",
            hint="Remove the user from all but one producer's partner users.",
            obj=user,
            id="catalogue.E101",
        )
        for user in users
    ]
