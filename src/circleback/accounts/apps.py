from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "circleback.accounts"
    label = "accounts"
    verbose_name = "Accounts"
