from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "circleback.interchange"
    label = "interchange"
    verbose_name = "Import and export"
