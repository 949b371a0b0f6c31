"""
Database access for the COFI batch service.

Thin repository classes over a psycopg2 connection pool.  Every repo takes
the shared ``Database`` wrapper so all stages of a batch share one pool.
"""
import json
import logging
import os
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Dict, Iterator, List, Optional, Sequence

import psycopg2
import psycopg2.extras
from psycopg2.pool import ThreadedConnectionPool

logger = logging.getLogger(__name__)

__all__ = [
    "Database",
    "get_db",
    "BatchRepo",
    "FileRepo",
    "ProcessingLogRepo",
    "BatchExecutionLogRepo",
]

_DB_LOCK = threading.Lock()
_db: Optional["Database"] = None

# processing_logs keeps at most this much of an error message
_MAX_ERROR_LEN = 4000

# Old numeric status codes from the v1 scheduler (kept for the migration script)
_LEGACY_STATUS = {0: "pending", 1: "running", 2: "done", 9: "failed"}


def _dsn() -> str:
    return os.environ.get(
        "COFI_DATABASE_URL",
        "postgresql://cofi:cofi@localhost:5432/cofi",
    )


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _truncate(text: Optional[str], limit: int = _MAX_ERROR_LEN) -> Optional[str]:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 15] + "...[truncated]"


class Database:
    """Connection pool wrapper; ``cursor()`` commits on success."""

    def __init__(self, dsn: Optional[str] = None, minconn: int = 1, maxconn: int = 10):
        self.dsn = dsn or _dsn()
        self._pool = ThreadedConnectionPool(minconn, maxconn, self.dsn)

    @contextmanager
    def cursor(self, commit: bool = True) -> Iterator[psycopg2.extras.RealDictCursor]:
        conn = self._pool.getconn()
        try:
            with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
                yield cur
            if commit:
                conn.commit()
        except Exception:
            conn.rollback()
            raise
        finally:
            self._pool.putconn(conn)

    def close(self) -> None:
        self._pool.closeall()


def get_db() -> Database:
    global _db
    with _DB_LOCK:
        if _db is None:
            _db = Database()
        return _db


class BatchRepo:
    """batches: one row per uploaded batch of call recordings."""

    def __init__(self, db: Database):
        self.db = db

    def create_batch(self, name: str, total_files: int, metadata: Optional[Dict[str, Any]] = None) -> str:
        with self.db.cursor() as cur:
            cur.execute(
                """INSERT INTO batches (name, total_files, status, metadata, created_at)
                   VALUES (%s, %s, 'pending', %s, %s) RETURNING batch_id""",
                (name, total_files, json.dumps(metadata or {}), _utcnow()),
            )
            return cur.fetchone()["batch_id"]

    def get_batch(self, batch_id: str) -> Optional[Dict[str, Any]]:
        with self.db.cursor(commit=False) as cur:
            cur.execute("SELECT * FROM batches WHERE batch_id = %s", (batch_id,))
            return cur.fetchone()

    def update_status(self, batch_id: str, status: str) -> None:
        with self.db.cursor() as cur:
            cur.execute("UPDATE batches SET status = %s, updated_at = %s WHERE batch_id = %s",
                        (status, _utcnow(), batch_id))

    def increment_progress(self, batch_id: str, stage: str, done: int, failed: int = 0) -> None:
        with self.db.cursor() as cur:
            cur.execute(
                """UPDATE batches
                      SET progress = jsonb_set(coalesce(progress, '{}'::jsonb), %s,
                                               to_jsonb(%s::int), true),
                          failed_files = failed_files + %s,
                          updated_at = %s
                    WHERE batch_id = %s""",
                ([stage], done, failed, _utcnow(), batch_id),
            )

    def log_failure(self, batch_id: str, reason: str) -> None:
        """Batch-level failure (whole batch aborted), not per file."""
        with self.db.cursor() as cur:
            cur.execute(
                "UPDATE batches SET status = 'failed', failure_reason = %s, updated_at = %s "
                "WHERE batch_id = %s",
                (reason[:500], _utcnow(), batch_id),
            )


class FileRepo:
    """batch_files: one row per recording in a batch."""

    def __init__(self, db: Database):
        self.db = db

    def add_files(self, batch_id: str, file_names: Sequence[str]) -> int:
        with self.db.cursor() as cur:
            psycopg2.extras.execute_values(
                cur,
                "INSERT INTO batch_files (batch_id, file_name, status) VALUES %s",
                [(batch_id, name, "pending") for name in file_names],
            )
            return len(file_names)

    def pending_files(self, batch_id: str, stage: str, limit: int = 500) -> List[Dict[str, Any]]:
        with self.db.cursor(commit=False) as cur:
            cur.execute(
                """SELECT * FROM batch_files
                    WHERE batch_id = %s AND NOT (completed_stages ? %s) AND status <> 'failed'
                    ORDER BY id LIMIT %s""",
                (batch_id, stage, limit),
            )
            return list(cur.fetchall())

    def get_file(self, file_id: int) -> Optional[Dict[str, Any]]:
        with self.db.cursor(commit=False) as cur:
            cur.execute("SELECT * FROM batch_files WHERE id = %s", (file_id,))
            return cur.fetchone()

    def mark_done(self, file_id: int, stage: str, result: Dict[str, Any]) -> None:
        with self.db.cursor() as cur:
            cur.execute(
                """UPDATE batch_files
                      SET completed_stages = completed_stages || jsonb_build_array(%s::text),
                          results = jsonb_set(coalesce(results, '{}'::jsonb), %s, %s, true)
                    WHERE id = %s""",
                (stage, [stage], json.dumps(result, default=str), file_id),
            )

    def mark_failed(self, file_id: int, stage: str, error: str) -> None:
        with self.db.cursor() as cur:
            cur.execute(
                "UPDATE batch_files SET status = 'failed', failed_stage = %s, error = %s WHERE id = %s",
                (stage, error[:1000], file_id),
            )


class ProcessingLogRepo:
    """processing_logs: one row per call per stage attempt.

    Predates batchExecutionLog and overlaps with it almost entirely.
    """

    def __init__(self, db: Database):
        self.db = db

    def _insert(self, call_id: str, batch_id: str, stage_name: str, status: str,
                error_message: Optional[str] = None, input_payload: Optional[str] = None,
                output_payload: Optional[str] = None, duration_ms: Optional[int] = None) -> None:
        with self.db.cursor() as cur:
            cur.execute(
                """INSERT INTO processing_logs
                       (call_id, batch_id, stage_name, status, error_message,
                        input_payload, output_payload, duration_ms, created_at)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)""",
                (call_id, batch_id, stage_name, status, _truncate(error_message),
                 input_payload, output_payload, duration_ms, _utcnow()),
            )

    def log_failure(self, call_id: str, batch_id: str, stage_name: str, error_message: str,
                    input_payload: Optional[str] = None) -> None:
        self._insert(call_id, batch_id, stage_name, "failed",
                     error_message=error_message, input_payload=input_payload)

    def log_success(self, call_id: str, batch_id: str, stage_name: str,
                    duration_ms: Optional[int] = None, output_payload: Optional[str] = None) -> None:
        self._insert(call_id, batch_id, stage_name, "success",
                     output_payload=output_payload, duration_ms=duration_ms)

    def recent_failures(self, batch_id: str, limit: int = 100) -> List[Dict[str, Any]]:
        with self.db.cursor(commit=False) as cur:
            cur.execute(
                """SELECT call_id, stage_name, error_message, created_at
                     FROM processing_logs
                    WHERE batch_id = %s AND status = 'failed'
                    ORDER BY created_at DESC LIMIT %s""",
                (batch_id, limit),
            )
            return list(cur.fetchall())


class BatchExecutionLogRepo:
    """batchExecutionLog: structured event stream per batch (used by EventLogger)."""

    def __init__(self, db: Database):
        self.db = db

    def insert_event(self, batch_id: str, event_type: str, stage: Optional[str] = None,
                     file_name: Optional[str] = None, message: Optional[str] = None,
                     metadata: Optional[Dict[str, Any]] = None) -> None:
        with self.db.cursor() as cur:
            cur.execute(
                """INSERT INTO "batchExecutionLog"
                       ("batchId", "eventType", "stage", "fileName", "message", "metadata", "createdAt")
                   VALUES (%s, %s, %s, %s, %s, %s, %s)""",
                (batch_id, event_type, stage, file_name, message,
                 json.dumps(metadata or {}, default=str), _utcnow()),
            )

    def events_for_batch(self, batch_id: str, event_type: Optional[str] = None) -> List[Dict[str, Any]]:
        sql = 'SELECT * FROM "batchExecutionLog" WHERE "batchId" = %s'
        params: List[Any] = [batch_id]
        if event_type:
            sql += ' AND "eventType" = %s'
            params.append(event_type)
        with self.db.cursor(commit=False) as cur:
            cur.execute(sql + ' ORDER BY "createdAt"', params)
            return list(cur.fetchall())
