"""
Base class for the COFI pipeline stages.

A stage pulls the pending files of a batch, processes them one by one and
records the outcome per file (batch_files) and per batch (batchExecutionLog).
"""
import json
import logging
import time
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional

from ..database import BatchRepo, Database, FileRepo, get_db
from ..database import ProcessingLogRepo
from ..event_logger import EventLogger

logger = logging.getLogger(__name__)

# Payloads can be whole transcripts; keep the log rows small
_PAYLOAD_PREVIEW_CHARS = 2000


def _serialize_payload(payload: Any) -> Optional[str]:
    """Best-effort JSON for a processing log row. Never raises."""
    if payload is None:
        return None
    try:
        text = json.dumps(payload, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(payload)
    return text[:_PAYLOAD_PREVIEW_CHARS]


class StageError(Exception):
    """A file failed this stage in an expected way (bad audio, model refused, ...)."""


class BaseStage(ABC):
    stage_name: str = "base"
    max_retries: int = 2

    def __init__(self, db: Optional[Database] = None, config: Optional[Dict[str, Any]] = None):
        self.db = db or get_db()
        self.config = config or {}
        self.batch_repo = BatchRepo(self.db)
        self.file_repo = FileRepo(self.db)
        # Per-call audit rows (processing_logs)
        self.processing_log_repo = ProcessingLogRepo(self.db)
        self.gpu_ip: Optional[str] = self.config.get("gpu_ip")
        self.batch_size = int(self.config.get("batch_size", 200))

    def log_processing_failure(self, call_id: str, batch_id: str, error_message: str,
                               payload: Any = None) -> None:
        """Write a failure row to processing_logs. Never raises."""
        try:
            self.processing_log_repo.log_failure(
                call_id=call_id,
                batch_id=batch_id,
                stage_name=self.stage_name,
                error_message=error_message,
                input_payload=_serialize_payload(payload),
            )
        except Exception as exc:
            logger.warning("processing_logs failure row not written for %s: %s", call_id, exc)

    def log_processing_success(self, call_id: str, batch_id: str, duration_ms: int,
                               output: Any = None) -> None:
        """Write a success row to processing_logs. Never raises."""
        try:
            self.processing_log_repo.log_success(
                call_id=call_id,
                batch_id=batch_id,
                stage_name=self.stage_name,
                duration_ms=duration_ms,
                output_payload=_serialize_payload(output),
            )
        except Exception as exc:
            logger.warning("processing_logs success row not written for %s: %s", call_id, exc)

    @abstractmethod
    def process_file(self, batch_id: str, file_row: Dict[str, Any]) -> Dict[str, Any]:
        """Process one file and return the stage result (stored in batch_files.results)."""

    def select_files(self, batch_id: str) -> List[Dict[str, Any]]:
        return self.file_repo.pending_files(batch_id, self.stage_name, limit=self.batch_size)

    def run(self, batch_id: str, files: Optional[List[Dict[str, Any]]] = None) -> Dict[str, int]:
        files = files if files is not None else self.select_files(batch_id)
        EventLogger.stage_started(batch_id, self.stage_name, len(files))
        ok = failed = 0

        for file_row in files:
            file_name = file_row["file_name"]
            started = time.monotonic()
            try:
                result = self.process_file(batch_id, file_row)
            except StageError as e:
                failed += 1
                self.file_repo.mark_failed(file_row["id"], self.stage_name, str(e))
                # Record the stage failure against the call
                self.log_processing_failure(file_name, batch_id, str(e), file_row.get("payload"))
                EventLogger.file_error(batch_id, self.stage_name, file_name, str(e), self.gpu_ip,
                                       payload=file_row.get("payload"))
                continue
            except Exception as e:  # unexpected: keep the batch going
                failed += 1
                logger.exception("%s: unexpected error on %s", self.stage_name, file_name)
                self.file_repo.mark_failed(file_row["id"], self.stage_name, f"unexpected: {e}")
                self.log_processing_failure(file_name, batch_id, f"unexpected: {e}")
                EventLogger.file_error(batch_id, self.stage_name, file_name, f"unexpected: {e}",
                                       self.gpu_ip)
                continue

            duration_ms = int((time.monotonic() - started) * 1000)
            self.file_repo.mark_done(file_row["id"], self.stage_name, result)
            self.log_processing_success(file_name, batch_id, duration_ms, result)  # processing_logs
            EventLogger.file_completed(batch_id, self.stage_name, file_name, duration_ms)
            ok += 1

        self.batch_repo.increment_progress(batch_id, self.stage_name, ok, failed)
        EventLogger.batch_progress(batch_id, self.stage_name, ok, failed, len(files))
        return {"ok": ok, "failed": failed}
