from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "socready.questionnaires"
    label = "questionnaires"
    verbose_name = "Questionnaires"

    def ready(self) -> None:
        from socready.questionnaires import copies, services_reading
        from socready.questionnaires.models import Questionnaire, ReadState
        from socready.storage.references import register_blob_references
        from socready.work.recovery import register_recovery

        # A questionnaire that could not be read keeps its row and reason but no longer needs the file.
        register_blob_references("questionnaires", lambda sha: Questionnaire.objects.filter(sha256=sha).exclude(
            state=ReadState.FAILED).exists())
        copies.register()
        register_recovery("socready.questionnaires.tasks.read_questionnaire_upload",
                          lambda args, kwargs: services_reading.requeue_abandoned(args[0]),
                          lambda args, kwargs, reason: services_reading.fail_abandoned(args[0], reason))
