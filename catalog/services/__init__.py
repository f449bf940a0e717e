"""Writes of the catalogue, by subject: ``products``, ``producers``, ``certificates``.

Staff decisions on what producers submit live in ``catalog.moderation``. The names
below are the public surface callers use (``from catalog import services``).
"""

from catalog.services.certificates import submit_certificate
from catalog.services.producers import (
    link_user_to_producer,
    open_producer_account,
    password_setup_url,
    producer_of,
    producer_recipients,
    submit_application,
)
from catalog.services.products import (
    MODERATED_FIELDS,
    ImageChange,
    NewImage,
    add_product_images,
    arrange_product_images,
    create_product,
    delete_image_files_on_commit,
    editable_images,
    is_moderated,
    pending_revision,
    queue_thumbnails,
    stockrecord_of,
    update_offer,
    update_product,
)

__all__ = [
    "MODERATED_FIELDS",
    "ImageChange",
    "NewImage",
    "add_product_images",
    "arrange_product_images",
    "create_product",
    "delete_image_files_on_commit",
    "editable_images",
    "is_moderated",
    "link_user_to_producer",
    "queue_thumbnails",
    "open_producer_account",
    "password_setup_url",
    "pending_revision",
    "producer_of",
    "producer_recipients",
    "stockrecord_of",
    "submit_application",
    "submit_certificate",
    "update_offer",
    "update_product",
]
