"""Files follow their rows: deleted once the deletion of the row is committed.

Oscar deletes a product image's file as soon as the row is deleted, even if
the transaction then rolls back (and the restored row names a missing file).
Ours waits for the commit and keeps a file that a product image or a pending
proposal still shows; it covers the images of a proposal (``RevisionImage``)
too. A deleted certificate or application takes its private scan with it.
Connected in ``CatalogueConfig.ready`` (in place of Oscar's image receiver).
"""

from catalog import services
from catalog.storage import delete_private_file_on_commit


def delete_image_file(sender, instance, **kwargs) -> None:
    services.delete_image_files_on_commit([instance.original.name])


def delete_certificate_scan(sender, instance, **kwargs) -> None:
    delete_private_file_on_commit(instance.scan.name)


def delete_application_scan(sender, instance, **kwargs) -> None:
    delete_private_file_on_commit(instance.certificate_scan.name)
