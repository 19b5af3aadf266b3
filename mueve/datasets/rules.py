"""The catalogue is public; program managers record the inventory."""

import rules

from mueve.accounts.rules import is_manager, is_platform_admin

rules.add_perm("datasets.view_dataset", rules.always_allow)
rules.add_perm("datasets.add_dataset", is_manager)


@rules.predicate
def stewards_dataset(user, dataset) -> bool:
    """Sends data into the dataset: its steward; staff of its publisher holding datasets.manage_catalog; a programme
    manager whose scope covers it (or the whole platform)."""
    from mueve.accounts.scopes import in_program, is_national

    if dataset is None or not (user and user.is_authenticated and user.is_active):
        return False
    if dataset.steward_id == user.pk or is_platform_admin(user):
        return True
    if (
        user.organization_id
        and user.organization_id == dataset.publisher_id
        and user.has_perm("datasets.manage_catalog")
    ):
        return True
    return is_manager(user) and (is_national(user) or in_program(user, dataset.program))


rules.add_perm("datasets.upload_incoming", stewards_dataset)
