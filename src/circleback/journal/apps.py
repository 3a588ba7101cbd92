from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "circleback.journal"
    label = "journal"
    verbose_name = "Journal"
