"""
Audit pipeline: QA sampling of finished batches.

Picks a sample of completed calls, re-scores them with the audit model and
flags batches whose agreement with LLM1 drops below the threshold.
"""
import asyncio
import logging
import random
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import aiohttp

from src.database import BatchRepo, ProcessingLogRepo, FileRepo
from src.database import Database, get_db
from src.event_logger import EventLogger

logger = logging.getLogger(__name__)

AUDIT_STAGE = "audit"
DEFAULT_SAMPLE_RATE = 0.05
AGREEMENT_THRESHOLD = 0.85


@dataclass
class AuditResult:
    batch_id: str
    sampled: int = 0
    agreed: int = 0
    errors: int = 0
    disagreements: List[Dict[str, Any]] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        scored = self.sampled - self.errors
        return self.agreed / scored if scored else 1.0


class AuditPipeline:
    def __init__(self, db: Optional[Database] = None, config: Optional[Dict[str, Any]] = None):
        self.db = db or get_db()
        self.config = config or {}
        self.batch_repo = BatchRepo(self.db)
        self.file_repo = FileRepo(self.db)
        self.processing_log_repo = ProcessingLogRepo(self.db)
        self.sample_rate = float(self.config.get("audit_sample_rate", DEFAULT_SAMPLE_RATE))
        self.audit_url = self.config.get("audit_url", "http://localhost:8003/v1/classify")
        self.gpu_ip = self.config.get("audit_gpu_ip")
        self._rng = random.Random(self.config.get("audit_seed"))

    def _sample(self, files: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        done = [f for f in files if "llm1" in (f.get("completed_stages") or [])]
        k = max(1, int(len(done) * self.sample_rate)) if done else 0
        return self._rng.sample(done, k)

    async def _audit_file(self, http: aiohttp.ClientSession, batch_id: str,
                          file_row: Dict[str, Any], result: AuditResult) -> None:
        file_name = file_row["file_name"]
        llm1 = (file_row.get("results") or {}).get("llm1", {})
        transcript = (file_row.get("results") or {}).get("transcription", {}).get("text", "")
        result.sampled += 1
        try:
            async with http.post(self.audit_url, json={"text": transcript}) as resp:
                resp.raise_for_status()
                audit = await resp.json()
        except (aiohttp.ClientError, asyncio.TimeoutError) as e:
            result.errors += 1
            logger.warning("AUDIT: %s could not be scored: %s", file_name, e)
            # Same error in both logs until processing_logs is retired
            self.processing_log_repo.log_failure(
                call_id=file_name,
                batch_id=batch_id,
                stage_name=AUDIT_STAGE,
                error_message=f"audit request failed: {e}",
            )
            EventLogger.file_error(batch_id, AUDIT_STAGE, file_name, str(e), self.gpu_ip)
            return

        if audit.get("category") == llm1.get("category"):
            result.agreed += 1
        else:
            result.disagreements.append({
                "file_name": file_name,
                "llm1": llm1.get("category"),
                "audit": audit.get("category"),
            })

    async def audit_batch(self, batch_id: str) -> AuditResult:
        batch = self.batch_repo.get_batch(batch_id)
        if batch is None:
            raise LookupError(f"unknown batch {batch_id}")
        files = self.file_repo.pending_files(batch_id, AUDIT_STAGE, limit=100000)
        sample = self._sample(files)
        result = AuditResult(batch_id=batch_id)
        EventLogger.stage_started(batch_id, AUDIT_STAGE, len(sample))

        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            await asyncio.gather(*(self._audit_file(http, batch_id, f, result) for f in sample))

        EventLogger.batch_finished(batch_id, "audited", {
            "sampled": result.sampled,
            "agreement": round(result.agreement, 3),
            "errors": result.errors,
        })
        if result.sampled and result.agreement < AGREEMENT_THRESHOLD:
            logger.warning("AUDIT: batch %s agreement %.2f below %.2f", batch_id,
                           result.agreement, AGREEMENT_THRESHOLD)
            self.batch_repo.update_status(batch_id, "needs_review")
        return result


def run_audit(batch_id: str, config: Optional[Dict[str, Any]] = None) -> AuditResult:
    return asyncio.run(AuditPipeline(config=config).audit_batch(batch_id))
