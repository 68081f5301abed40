from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "socready.questionnaires"
    label = "questionnaires"
    verbose_name = "Questionnaires"

    def ready(self) -> None:
        from socready.questionnaires import copies
        from socready.questionnaires.models import Questionnaire
        from socready.storage.references import register_blob_references

        register_blob_references("questionnaires", lambda sha: Questionnaire.objects.filter(sha256=sha).exists())
        copies.register()
