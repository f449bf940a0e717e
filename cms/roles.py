"""The Department of Industry and Trade's roles in the Wagtail admin, and its approval workflow.

- Editors edit and publish the pages under the home page, upload images and
  documents, make campaigns with their discounts and read campaign reports.
- Reviewers are asked to approve a page before it is published, when an editor
  submits it to the Department's workflow instead of publishing it directly.

Neither role is staff: no Oscar dashboard, no moderation queue, no customer data.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.users.models import UserProfile

EDITOR_GROUP = "Sở Công Thương – Biên tập"
REVIEWER_GROUP = "Sở Công Thương – Phê duyệt"
WORKFLOW_NAME = "Phê duyệt của Sở Công Thương"

PAGE_PERMISSIONS = {
    EDITOR_GROUP: ("add_page", "change_page", "publish_page"),
    REVIEWER_GROUP: ("change_page", "publish_page"),
}
COLLECTION_PERMISSIONS = {
    EDITOR_GROUP: {
        "wagtailimages": ("add_image", "change_image", "choose_image"),
        "wagtaildocs": ("add_document", "change_document", "choose_document"),
    },
    REVIEWER_GROUP: {"wagtailimages": ("choose_image",), "wagtaildocs": ("choose_document",)},
}


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_department_groups() -> tuple[Group, Group]:
    """Create (or complete) the editor and reviewer groups and the approval workflow on the home page."""
    home = Page.objects.filter(depth=2).order_by("path").first()
    # Wagtail's migration makes the root collection; a flushed database (browser tests) has none.
    root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    groups = {}
    for name in (EDITOR_GROUP, REVIEWER_GROUP):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(_permission("wagtailadmin", "access_admin"), _permission("cms", "view_campaign_report"))
        # Viewing certificates opens the OCOP programme dashboard (/chuong-trinh/, shop.programme).
        group.permissions.add(_permission("catalogue", "view_ocopcertificate"))
        if home is not None:
            for codename in PAGE_PERMISSIONS[name]:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=home, permission=_permission("wagtailcore", codename)
                )
        for app_label, codenames in COLLECTION_PERMISSIONS[name].items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=_permission(app_label, codename)
                )
        groups[name] = group

    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME)
    task.groups.add(groups[REVIEWER_GROUP])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if home is not None:
        WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return groups[EDITOR_GROUP], groups[REVIEWER_GROUP]


def prefer_vietnamese_admin(user) -> None:
    """The Department's editors get the Wagtail admin in Vietnamese whatever language their browser asks
    for; each can still choose English in their account (an existing choice is kept)."""
    profile = UserProfile.get_for_user(user)
    if not profile.preferred_language:
        profile.preferred_language = settings.LANGUAGE_CODE
        profile.save(update_fields=["preferred_language"])
