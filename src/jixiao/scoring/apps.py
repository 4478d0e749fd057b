from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "jixiao.scoring"
    label = "scoring"
    verbose_name = "计分"

    def ready(self) -> None:
        # Scoring reacts to the ledger; the ledger never calls scoring (see jixiao.core.events).
        from jixiao.core.events import ledger_changed
        from jixiao.scoring.recompute import on_ledger_changed

        ledger_changed.connect(on_ledger_changed, dispatch_uid="scoring.recompute")
