"""Image files follow their rows: deleted once the deletion of the row is committed.

Oscar deletes a product image's file as soon as the row is deleted, even if
the transaction then rolls back (and the restored row names a missing file).
Ours waits for the commit and keeps a file that a product image or a pending
proposal still shows; it covers the images of a proposal (``RevisionImage``)
too. Connected in ``CatalogueConfig.ready`` in place of Oscar's receiver.
"""

from catalog import services


def delete_image_file(sender, instance, **kwargs) -> None:
    services.delete_image_files_on_commit([instance.original.name])
