from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

# Apps whose models program managers keep in the back office; platform admins are superusers.
NOT_IN_BACK_OFFICE = {"core", "accounts", "api", "demo"}


class AccountsConfig(AppConfig):
    name = "mueve.accounts"
    label = "accounts"
    verbose_name = _("Cuentas")

    def ready(self) -> None:
        # Runs after rules' autodiscovery (earlier in INSTALLED_APPS), so an app's own rules.py always wins; here
        # managers get the admin's model permissions for every domain app. (Here, not in core: core imports no app.)
        import rules

        from mueve.accounts.rules import is_manager

        for config in apps.get_app_configs():
            if not config.name.startswith("mueve.") or config.label in NOT_IN_BACK_OFFICE:
                continue
            if not rules.perm_exists(config.label):
                rules.add_perm(config.label, is_manager)
            for model in config.get_models():
                for action in model._meta.default_permissions:
                    name = f"{config.label}.{action}_{model._meta.model_name}"
                    if not rules.perm_exists(name):
                        rules.add_perm(name, is_manager)
