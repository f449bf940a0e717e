"""A campaign's discount follows its page: published, unpublished (by hand or at expiry) and deleted."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from cms.models import CampaignPage
from cms.services import end_campaign_offer, sync_campaign_offer


@receiver(page_published, sender=CampaignPage)
def campaign_published(sender, instance, **kwargs):
    instance.refresh_from_db()  # the live row, not a revision's copy
    sync_campaign_offer(campaign=instance)


# Wagtail also sends page_unpublished for a live page that is being deleted.
@receiver(page_unpublished, sender=CampaignPage)
@receiver(pre_delete, sender=CampaignPage)
def campaign_withdrawn(sender, instance, **kwargs):
    end_campaign_offer(campaign=instance)
