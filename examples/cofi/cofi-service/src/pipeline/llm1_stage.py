"""
LLM1 stage: classify each call transcript (intent, product, sentiment).

Talks to the vLLM server on the GPU box over HTTP.  Timeouts are retried
with a linear backoff; a malformed answer is stored as 'unclassified'.
"""
import json
import logging
import re
import time
from typing import Any, Dict, List, Optional

import requests

from src.database import (
    BatchRepo,
    FileRepo,
    ProcessingLogRepo,  # per-call rows, see BATCH_PROCESSING_REVIEW.md
)
from src.event_logger import EventLogger
from src.pipeline.base import BaseStage, StageError

logger = logging.getLogger(__name__)

CATEGORIES = ("billing", "technical", "cancellation", "sales", "complaint", "other")

PROMPT_TEMPLATE = """You are a call-center analyst. Classify the call below.
Answer with JSON only: {{"category": one of {categories}, "product": string,
"sentiment": "positive" | "neutral" | "negative", "confidence": 0..1}}

Transcript:
{transcript}
"""

_JSON_BLOCK = re.compile(r"\{.*\}", re.DOTALL)


class LLM1Stage(BaseStage):
    stage_name = "llm1"
    max_retries = 3

    def __init__(self, db=None, config: Optional[Dict[str, Any]] = None,
                 session: Optional[requests.Session] = None):
        super().__init__(db, config)
        self.session = session or requests.Session()
        self.endpoint = self.config.get("llm1_url", f"http://{self.gpu_ip or 'localhost'}:8001/v1/completions")
        self.model = self.config.get("llm1_model", "qwen2.5-7b-instruct")
        self.timeout = float(self.config.get("llm1_timeout", 60))
        self.backoff = float(self.config.get("llm1_backoff", 2.0))
        # LLM1 runs in its own worker process: give it its own repo handles
        self.batch_repo = BatchRepo(self.db)
        self.file_repo = FileRepo(self.db)
        self.processing_log_repo = ProcessingLogRepo(self.db)

    def log_processing_failure(self, call_id: str, batch_id: str, error_message: str,
                               payload: Any = None, attempt: int = 1) -> None:
        """LLM1 variant: one processing_logs row per attempt."""
        try:
            self.processing_log_repo.log_failure(
                call_id=call_id,
                batch_id=batch_id,
                stage_name=f"{self.stage_name}#{attempt}",
                error_message=error_message,
                input_payload=json.dumps(payload) if payload is not None else None,
            )
        except Exception as exc:
            logger.warning("LLM1: could not write processing log for %s: %s", call_id, exc)

    # ------------------------------------------------------------------
    def _build_payload(self, transcript: str) -> Dict[str, Any]:
        prompt = PROMPT_TEMPLATE.format(categories=list(CATEGORIES), transcript=transcript[:12000])
        return {
            "model": self.model,
            "prompt": prompt,
            "max_tokens": 200,
            "temperature": 0.0,
        }

    @staticmethod
    def _parse_response(body: Dict[str, Any]) -> Dict[str, Any]:
        text = body["choices"][0]["text"]
        match = _JSON_BLOCK.search(text)
        if not match:
            raise ValueError(f"no JSON object in model output: {text[:200]!r}")
        answer = json.loads(match.group(0))
        category = str(answer.get("category", "other")).lower()
        if category not in CATEGORIES:
            category = "other"
        return {
            "category": category,
            "product": answer.get("product"),
            "sentiment": answer.get("sentiment", "neutral"),
            "confidence": float(answer.get("confidence", 0.0)),
        }

    def process_file(self, batch_id: str, file_row: Dict[str, Any]) -> Dict[str, Any]:
        file_name = file_row["file_name"]
        transcript = (file_row.get("results") or {}).get("transcription", {}).get("text", "")
        if not transcript.strip():
            raise StageError("empty transcript")

        payload = self._build_payload(transcript)
        last_error: Optional[Exception] = None

        for attempt in range(1, self.max_retries + 1):
            try:
                resp = self.session.post(self.endpoint, json=payload, timeout=self.timeout)
                resp.raise_for_status()
                return self._parse_response(resp.json())
            except requests.Timeout as e:
                last_error = e
                # Timeouts are retried; keep one row per attempt
                self.log_processing_failure(file_name, batch_id, f"timeout: {e}", payload, attempt=attempt)
                time.sleep(self.backoff * attempt)
            except (requests.HTTPError, ValueError, KeyError) as e:
                logger.error("LLM1: bad answer for %s: %s", file_name, e)
                # Log to processing_logs
                self.processing_log_repo.log_failure(
                    call_id=file_name,
                    batch_id=batch_id,
                    stage_name=self.stage_name,
                    error_message=str(e),
                    input_payload=json.dumps(payload),
                )
                EventLogger.file_error(batch_id, self.stage_name, file_name, str(e), self.gpu_ip)
                return {"category": "unclassified", "error": str(e)}

        raise StageError(f"LLM1 timed out {self.max_retries} times: {last_error}")

    def classify_many(self, batch_id: str, file_rows: List[Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
        """Used by the re-run tool: classify without touching batch progress."""
        results = {}
        for row in file_rows:
            try:
                results[row["file_name"]] = self.process_file(batch_id, row)
            except StageError as e:
                results[row["file_name"]] = {"category": "unclassified", "error": str(e)}
        return results
