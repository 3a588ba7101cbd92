from django.apps import AppConfig


class PathsConfig(AppConfig):
    name = "circleback.paths"
    label = "paths"
    verbose_name = "Introduction paths and suggestions"
