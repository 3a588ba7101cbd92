from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "circleback.reminders"
    label = "reminders"
    verbose_name = "Reminders: the digest, the calendar feed and the worker"
