"""
EventLogger - writes structured batch events to batchExecutionLog.

Used by every stage; the dashboard reads batchExecutionLog directly.
All methods are best effort: a logging failure is logged and swallowed.
"""
import logging
import sys
import traceback
from typing import Any, Dict, Optional

from src.database import BatchExecutionLogRepo, get_db

logger = logging.getLogger(__name__)


class EventLogger:
    _repo: Optional[BatchExecutionLogRepo] = None

    @classmethod
    def _get_repo(cls) -> BatchExecutionLogRepo:
        if cls._repo is None:
            cls._repo = BatchExecutionLogRepo(get_db())
        return cls._repo

    @classmethod
    def _emit(cls, batch_id: str, event_type: str, stage: Optional[str] = None,
              file_name: Optional[str] = None, message: Optional[str] = None,
              **metadata: Any) -> None:
        try:
            cls._get_repo().insert_event(batch_id, event_type, stage=stage, file_name=file_name,
                                         message=message, metadata=metadata or None)
        except Exception as exc:  # never break a batch because of logging
            logger.warning("batchExecutionLog write failed (%s/%s): %s", batch_id, event_type, exc)

    @classmethod
    def batch_started(cls, batch_id: str, total_files: int) -> None:
        cls._emit(batch_id, "batch_started", total_files=total_files)

    @classmethod
    def stage_started(cls, batch_id: str, stage: str, file_count: int) -> None:
        cls._emit(batch_id, "stage_started", stage=stage, file_count=file_count)

    @classmethod
    def file_completed(cls, batch_id: str, stage: str, file_name: str,
                       duration_ms: Optional[int] = None) -> None:
        cls._emit(batch_id, "file_completed", stage=stage, file_name=file_name,
                  duration_ms=duration_ms)

    @staticmethod
    def file_error(batch_id: str, stage: str, file_name: str, error: str,
                   gpu_ip: Optional[str] = None, payload: Optional[Dict[str, Any]] = None) -> None:
        """Record a per-file error (eventType='error')."""
        EventLogger._emit(
            batch_id, "error", stage=stage, file_name=file_name, message=error,
            gpu_ip=gpu_ip, payload=payload,
            trace=traceback.format_exc(limit=5) if sys.exc_info()[0] else None,
        )

    @classmethod
    def batch_progress(cls, batch_id: str, stage: str, done: int, failed: int, total: int) -> None:
        pct = round(100.0 * (done + failed) / total, 1) if total else 100.0
        cls._emit(batch_id, "progress", stage=stage, done=done, failed=failed, total=total, pct=pct)

    @classmethod
    def batch_finished(cls, batch_id: str, status: str, summary: Dict[str, Any]) -> None:
        cls._emit(batch_id, "batch_finished", message=status, **summary)
