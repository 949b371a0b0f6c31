"""
Metadata manager: everything we know about a recording before transcription.

* parses agent / campaign / timestamp out of the dialer's file names
* probes duration and channels with ffprobe
* runs language identification (LID) on the GPU box
"""
import json
import logging
import re
import subprocess
from datetime import datetime
from typing import Any, Dict, Optional, Tuple

import requests

from src.database import FileRepo, get_db
from src.database import ProcessingLogRepo as LogRepo
from src.event_logger import EventLogger

logger = logging.getLogger(__name__)

# e.g. CMP042_AG1187_20241031-142233_5551234567.wav
FILE_NAME_RE = re.compile(
    r"^(?P<campaign>CMP\d{3})_(?P<agent>AG\d{3,5})_(?P<ts>\d{8}-\d{6})_(?P<ani>\d{7,15})\.(?P<ext>wav|mp3)$",
    re.IGNORECASE,
)
SUPPORTED_LANGUAGES = {"en", "es", "hi", "ta", "te"}
MIN_DURATION_S = 3.0


class MetadataError(Exception):
    pass


class MetadataManager:
    """Builds the metadata block stored in batch_files.results['metadata']."""

    def __init__(self, db=None, config: Optional[Dict[str, Any]] = None,
                 session: Optional[requests.Session] = None) -> None:
        self.db = db or get_db()
        self.config = config or {}
        self.session = session or requests.Session()
        self.file_repo = FileRepo(self.db)
        self.ffprobe = self.config.get("ffprobe", "ffprobe")
        self.lid_url = self.config.get("lid_url", "http://localhost:8005/lid")
        self.gpu_ip = self.config.get("lid_gpu_ip")
        self.processing_log_repo = LogRepo(self.db)

    def log_processing_failure(self, call_id: str, batch_id: str, stage: str,
                               error_message: str) -> None:
        """Metadata failures go to processing_logs under their own stage name."""
        self.processing_log_repo.log_failure(
            call_id=call_id,
            batch_id=batch_id,
            stage_name=f"metadata.{stage}",
            error_message=error_message,
        )

    # ------------------------------------------------------------------ file names
    @staticmethod
    def parse_file_name(file_name: str) -> Dict[str, Any]:
        match = FILE_NAME_RE.match(file_name)
        if not match:
            raise MetadataError(f"unrecognised file name: {file_name}")
        parts = match.groupdict()
        return {
            "campaign": parts["campaign"].upper(),
            "agent": parts["agent"].upper(),
            "call_time": datetime.strptime(parts["ts"], "%Y%m%d-%H%M%S").isoformat(),
            "ani": parts["ani"],
            "format": parts["ext"].lower(),
        }

    # ------------------------------------------------------------------ ffprobe
    def probe(self, path: str) -> Tuple[float, int]:
        cmd = [self.ffprobe, "-v", "error", "-show_entries", "stream=channels:format=duration",
               "-of", "json", path]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=True).stdout
        info = json.loads(out)
        duration = float(info["format"]["duration"])
        channels = int(info["streams"][0]["channels"])
        return duration, channels

    # ------------------------------------------------------------------ LID
    def detect_language(self, batch_id: str, file_name: str, path: str) -> Optional[str]:
        gpu_ip = self.gpu_ip
        payload = {"path": path, "top_k": 3}
        try:
            resp = self.session.post(self.lid_url, json=payload, timeout=20)
            resp.raise_for_status()
            best = resp.json()["languages"][0]
        except (requests.RequestException, KeyError, IndexError, ValueError) as e:
            # Log to processing_logs
            self.processing_log_repo.log_failure(
                call_id=file_name,
                batch_id=batch_id,
                stage_name="lid",
                error_message=str(e),
                input_payload=json.dumps(payload)
            )

            # Log to batchExecutionLog
            EventLogger.file_error(batch_id, 'lid', file_name, str(e), gpu_ip)
            return None

        if best["language"] not in SUPPORTED_LANGUAGES:
            logger.info("LID: %s detected as unsupported %s", file_name, best["language"])
        return best["language"]

    # ------------------------------------------------------------------ entry point
    def build(self, batch_id: str, file_row: Dict[str, Any], path: str) -> Dict[str, Any]:
        file_name = file_row["file_name"]
        metadata: Dict[str, Any] = {"file_name": file_name}

        try:
            metadata.update(self.parse_file_name(file_name))
        except MetadataError as e:
            # Unknown naming scheme is not fatal; keep going without dialer fields
            self.log_processing_failure(file_name, batch_id, "parse", str(e))
            metadata["dialer_fields"] = False

        try:
            duration, channels = self.probe(path)
        except (subprocess.SubprocessError, ValueError, KeyError, IndexError) as e:
            self.processing_log_repo.log_failure(call_id=file_name, batch_id=batch_id,
                                                 stage_name="metadata.probe", error_message=str(e))
            EventLogger.file_error(batch_id, "metadata", file_name, f"ffprobe failed: {e}", self.gpu_ip)
            raise MetadataError(f"cannot read audio: {e}") from e
        metadata.update(duration_s=round(duration, 2), channels=channels)

        if duration < MIN_DURATION_S:
            self.log_processing_failure(file_name, batch_id, "duration",
                                        f"too short ({duration:.1f}s)")  # still stored, just flagged
            metadata["too_short"] = True
            return metadata

        language = self.detect_language(batch_id, file_name, path)
        metadata["language"] = language or "unknown"
        if language is not None and language not in SUPPORTED_LANGUAGES:
            (self.processing_log_repo
                 .log_failure(call_id=file_name, batch_id=batch_id, stage_name="metadata.language",
                              error_message=f"unsupported language {language}"))
            EventLogger.file_error(batch_id, "metadata", file_name,
                                   f"unsupported language {language}", self.gpu_ip)
            metadata["supported"] = False
        return metadata
