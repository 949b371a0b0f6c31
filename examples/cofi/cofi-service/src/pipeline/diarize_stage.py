"""Speaker diarization: splits agent and customer turns before LLM1.

Runs on the GPU box next to the LID model. Failures are not fatal for the
batch; the file is marked failed and picked up by the next re-run.
"""
import json
import logging
from typing import Any, Dict

import requests

from src.pipeline.base import BaseStage, StageError

logger = logging.getLogger(__name__)

DEFAULT_SPEAKERS = 2


class DiarizeStage(BaseStage):
    stage_name = "diarize"

    def process_file(self, batch_id: str, file_row: Dict[str, Any]) -> Dict[str, Any]:
        file_name = file_row["file_name"]
        payload = {
            "file": file_row["path"],
            "min_speakers": DEFAULT_SPEAKERS,
            "max_speakers": int(self.config.get("max_speakers", 3)),
        }
        url = self.config.get("diarize_url", "http://localhost:8007/diarize")
        try:
            resp = requests.post(url, json=payload, timeout=60)
            resp.raise_for_status()
            turns = resp.json()["turns"]
        except (requests.RequestException, KeyError, ValueError) as e:
            logger.warning("DIARIZE: %s failed: %s", file_name, e)
            # No batchExecutionLog event here yet: processing_logs was the only record
            self.processing_log_repo.log_failure(
                call_id=file_name,
                batch_id=batch_id,
                stage_name=self.stage_name,
                error_message=str(e),
                input_payload=json.dumps(payload),
            )
            raise StageError(f"diarization failed: {e}") from e

        return {"turns": turns, "speakers": len({t["speaker"] for t in turns})}
