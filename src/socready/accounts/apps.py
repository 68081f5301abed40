from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "socready.accounts"
    label = "accounts"
    verbose_name = "Accounts"
