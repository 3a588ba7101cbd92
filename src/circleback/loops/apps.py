from django.apps import AppConfig


class LoopsConfig(AppConfig):
    name = "circleback.loops"
    label = "loops"
    verbose_name = "Meetings, loops and favours"
