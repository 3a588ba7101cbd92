from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "circleback.operations.backup"
    label = "backup"
    verbose_name = "Backup and restore"

    def ready(self) -> None:
        # Interchange knows people and the journal and must not import what sits above it;
        # it asks for the rest of a whole-account backup through these two hooks.
        from circleback.interchange import exports, services
        from circleback.operations.backup import restore, sections

        exports.register_backup_sections(sections.export_sections)
        services.register_backup_restorer(restore.restore_sections)
