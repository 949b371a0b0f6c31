"""
LLM2 stage: write the call summary and the follow-up actions.

Runs after LLM1 and uses its category to pick the summary template.
Requests go out concurrently (bounded by ``llm2_concurrency``) on an
asyncio loop owned by the stage.
"""
import asyncio
import logging
import time
from typing import Any, Dict, List, Optional, Tuple

import aiohttp

from src.database import ProcessingLogRepo
from src.event_logger import EventLogger
from src.pipeline.base import BaseStage, StageError

logger = logging.getLogger(__name__)

SUMMARY_TEMPLATES = {
    "billing": "Summarise the billing issue, the amount in dispute and what the agent promised.",
    "technical": "Summarise the fault, the troubleshooting steps taken and whether it was resolved.",
    "cancellation": "Summarise why the customer wants to cancel and any retention offer made.",
}
DEFAULT_TEMPLATE = "Summarise the call in three sentences and list follow-up actions."


class LLM2Stage(BaseStage):
    stage_name = "llm2"

    def __init__(self, db=None, config: Optional[Dict[str, Any]] = None):
        super().__init__(db, config)
        self.endpoint = self.config.get("llm2_url", f"http://{self.gpu_ip or 'localhost'}:8002/v1/chat/completions")
        self.concurrency = int(self.config.get("llm2_concurrency", 8))
        self.timeout = aiohttp.ClientTimeout(total=float(self.config.get("llm2_timeout", 90)))
        self.processing_log_repo = ProcessingLogRepo(self.db)   # re-bound: base one is shared

    @staticmethod
    def _template_name(payload: Any) -> str:
        if isinstance(payload, dict):
            return str(payload.get("template", "default"))
        return "default"

    def log_processing_failure(self, call_id: str, batch_id: str, error_message: str,
                               payload: Any = None) -> None:
        """LLM2 keeps the template name in the stage column."""
        try:
            self.processing_log_repo.log_failure(
                call_id=call_id,
                batch_id=batch_id,
                stage_name=f"{self.stage_name}:{self._template_name(payload)}",
                error_message=error_message,
            )
        except Exception as exc:
            logger.warning("LLM2: processing log write failed for %s: %s", call_id, exc)

    # ------------------------------------------------------------------
    @staticmethod
    def _messages(category: str, transcript: str) -> List[Dict[str, str]]:
        instruction = SUMMARY_TEMPLATES.get(category, DEFAULT_TEMPLATE)
        return [
            {"role": "system", "content": "You write concise, factual call summaries."},
            {"role": "user", "content": f"{instruction}\n\n{transcript[:16000]}"},
        ]

    async def _summarise(self, http: aiohttp.ClientSession, sem: asyncio.Semaphore,
                         batch_id: str, file_row: Dict[str, Any]) -> Tuple[str, Optional[Dict[str, Any]]]:
        file_name = file_row["file_name"]
        results = file_row.get("results") or {}
        category = results.get("llm1", {}).get("category", "other")
        transcript = results.get("transcription", {}).get("text", "")
        body = {"model": "summary", "messages": self._messages(category, transcript), "max_tokens": 400}

        async with sem:
            started = time.monotonic()
            try:
                async with http.post(self.endpoint, json=body) as resp:
                    resp.raise_for_status()
                    data = await resp.json()
                summary = data["choices"][0]["message"]["content"].strip()
            except asyncio.TimeoutError as e:
                # Record the timeout against the call so it shows in the re-run list
                self.log_processing_failure(file_name, batch_id, f"timeout after {self.timeout.total}s",
                                            {"template": category})
                EventLogger.file_error(batch_id, self.stage_name, file_name, f"timeout: {e}", self.gpu_ip)
                return file_name, None
            except (aiohttp.ClientError, KeyError, IndexError) as e:
                self.processing_log_repo.log_failure(
                    call_id=file_name, batch_id=batch_id, stage_name=self.stage_name,
                    error_message=str(e),
                )
                EventLogger.file_error(batch_id, self.stage_name, file_name, str(e), self.gpu_ip)
                return file_name, None

        duration_ms = int((time.monotonic() - started) * 1000)
        self.processing_log_repo.log_success(call_id=file_name, batch_id=batch_id,
                                             stage_name=self.stage_name, duration_ms=duration_ms)
        return file_name, {"summary": summary, "template": category, "duration_ms": duration_ms}

    async def _run_async(self, batch_id: str, files: List[Dict[str, Any]]) -> Dict[str, Optional[Dict[str, Any]]]:
        sem = asyncio.Semaphore(self.concurrency)
        async with aiohttp.ClientSession(timeout=self.timeout) as http:
            pairs = await asyncio.gather(*(self._summarise(http, sem, batch_id, f) for f in files))
        return dict(pairs)

    def run(self, batch_id: str, files: Optional[List[Dict[str, Any]]] = None) -> Dict[str, int]:
        files = files if files is not None else self.select_files(batch_id)
        EventLogger.stage_started(batch_id, self.stage_name, len(files))
        results = asyncio.run(self._run_async(batch_id, files))

        ok = failed = 0
        for file_row in files:
            result = results.get(file_row["file_name"])
            if result is None:
                failed += 1
                self.file_repo.mark_failed(file_row["id"], self.stage_name, "summary failed")
                continue
            self.file_repo.mark_done(file_row["id"], self.stage_name, result)
            EventLogger.file_completed(batch_id, self.stage_name, file_row["file_name"],
                                       result["duration_ms"])
            ok += 1

        self.batch_repo.increment_progress(batch_id, self.stage_name, ok, failed)
        EventLogger.batch_progress(batch_id, self.stage_name, ok, failed, len(files))
        return {"ok": ok, "failed": failed}

    def process_file(self, batch_id: str, file_row: Dict[str, Any]) -> Dict[str, Any]:
        """Single-file path (used by the re-run tool)."""
        results = asyncio.run(self._run_async(batch_id, [file_row]))
        result = results.get(file_row["file_name"])
        if result is None:
            raise StageError("summary failed")
        return result
