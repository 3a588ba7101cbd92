from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "circleback.interchange"
    label = "interchange"
    verbose_name = "Import and export"

    def ready(self) -> None:
        # The worker's hourly clean-up (reminders, below this area) deletes our previews too.
        from circleback.interchange.services import previews_clean_up
        from circleback.reminders.services import clean_up_register

        clean_up_register("previews", previews_clean_up)
