from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_site_structure(sender, using="default", **kwargs):
    from django.db import connections

    from cms.models import NewsIndexPage
    from cms.roles import ensure_department_groups
    from cms.services import ensure_site_structure

    # Not while the database is migrated back to before the sections existed.
    if NewsIndexPage._meta.db_table in connections[using].introspection.table_names():
        ensure_site_structure()
        ensure_department_groups()


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Editorial pages")

    def ready(self):
        from cms import receivers  # noqa: F401  (connects the campaign discount to its page)

        # After every migrate (and every flush of browser tests): the home page and its sections exist.
        post_migrate.connect(_ensure_site_structure, sender=self, dispatch_uid="cms-site-structure")
