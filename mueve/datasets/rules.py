"""The catalogue is public; programme managers record the inventory and keep the catalog.

`datasets.manage_catalog` (create, edit, publish and withdraw datasets, add distributions): a manager of the
dataset's programme, scoped as accounts.scopes says (programs.rules.manages_program), or the national unit (a
manager with no scope) and the platform's administrators, who also keep the datasets of no programme. Without an
object: may this person keep some part of the catalog (the lists are then filtered by programme).
"""

import rules

from mueve.accounts.rules import is_manager, is_platform_admin

rules.add_perm("datasets.view_dataset", rules.always_allow)
rules.add_perm("datasets.add_dataset", is_manager)


# --- the catalog's management (data-sharing agreements, the open data policy, the access log) -------------------


def _jurisdiction_of(obj):
    """The jurisdiction an object of the catalog answers to when it has no programme."""
    for path in ("spatial_jurisdiction_id", "jurisdiction_id"):
        if getattr(obj, path, None) is not None:
            return getattr(obj, path)
    publisher = getattr(obj, "publisher", None)
    return getattr(publisher, "jurisdiction_id", None)


@rules.predicate
def manages_catalog(user, obj=None) -> bool:
    """A programme manager for the object's programme (or, without one, for its jurisdiction), the national unit and
    the platform's administrators. Without an object: manages some part of the catalog."""
    from mueve.accounts import scopes
    from mueve.accounts.rules import is_platform_admin
    from mueve.programs.rules import manages_program, program_of

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_platform_admin(user):
        return True
    if obj is None:
        return bool(manages_program(user, None))
    program = program_of(obj)
    if program is not None and manages_program(user, program):
        return True
    return bool(is_manager(user) and scopes.in_jurisdiction(user, _jurisdiction_of(obj)))


rules.add_perm("datasets.manage_catalog", manages_catalog)
# The back office of agreements, policies and the access log (read-only there: it is written by the access checks).
for _model in ("agreement", "datapolicy"):
    for _action in ("view", "add", "change", "delete"):
        rules.add_perm(f"datasets.{_action}_{_model}", manages_catalog)
rules.add_perm("datasets.view_accesslogentry", manages_catalog)


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
