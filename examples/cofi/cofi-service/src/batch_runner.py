"""
Batch runner: drives one batch through metadata, the LLM stages and audit.

    python -m src.batch_runner --batch 7f3c... [--skip-audit]
"""
import argparse
import logging
import os
import sys
import time
from typing import Any, Dict, List, Optional

from src.audit_pipeline import run_audit
from src.database import BatchRepo, FileRepo, get_db
from src.event_logger import EventLogger
from src.metadata_manager import MetadataError, MetadataManager
from src.pipeline import STAGES

logger = logging.getLogger("cofi.runner")

RECORDINGS_DIR = os.environ.get("COFI_RECORDINGS_DIR", "/data/recordings")


def load_config() -> Dict[str, Any]:
    return {
        "gpu_ip": os.environ.get("COFI_GPU_IP"),
        "batch_size": int(os.environ.get("COFI_BATCH_SIZE", "200")),
        "llm2_concurrency": int(os.environ.get("COFI_LLM2_CONCURRENCY", "8")),
        "audit_sample_rate": float(os.environ.get("COFI_AUDIT_SAMPLE_RATE", "0.05")),
    }


def _collect_metadata(batch_id: str, files: List[Dict[str, Any]], config: Dict[str, Any]) -> int:
    manager = MetadataManager(config=config)
    file_repo = FileRepo(manager.db)
    failed = 0
    for row in files:
        path = os.path.join(RECORDINGS_DIR, batch_id, row["file_name"])
        try:
            metadata = manager.build(batch_id, row, path)
        except MetadataError as e:
            failed += 1
            file_repo.mark_failed(row["id"], "metadata", str(e))
            continue
        file_repo.mark_done(row["id"], "metadata", metadata)
    return failed


def run_batch(batch_id: str, skip_audit: bool = False, config: Optional[Dict[str, Any]] = None) -> int:
    config = config or load_config()
    db = get_db()
    batch_repo = BatchRepo(db)
    batch = batch_repo.get_batch(batch_id)
    if batch is None:
        logger.error("no such batch: %s", batch_id)
        return 2

    started = time.monotonic()
    batch_repo.update_status(batch_id, "running")
    EventLogger.batch_started(batch_id, batch["total_files"])

    try:
        files = FileRepo(db).pending_files(batch_id, "metadata", limit=batch["total_files"])
        failed = _collect_metadata(batch_id, files, config)
        for stage_cls in STAGES:
            stage = stage_cls(db, config)
            counts = stage.run(batch_id)
            failed += counts["failed"]
            logger.info("%s: %s", stage.stage_name, counts)
        if not skip_audit:
            run_audit(batch_id, config)
    except Exception as e:
        logger.exception("batch %s aborted", batch_id)
        batch_repo.log_failure(batch_id, f"aborted: {e}")
        EventLogger.batch_finished(batch_id, "failed", {"error": str(e)})
        return 1

    batch_repo.update_status(batch_id, "completed")
    EventLogger.batch_finished(batch_id, "completed", {
        "failed_files": failed,
        "elapsed_s": round(time.monotonic() - started, 1),
    })
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Run one COFI batch")
    parser.add_argument("--batch", required=True)
    parser.add_argument("--skip-audit", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return run_batch(args.batch, skip_audit=args.skip_audit)


if __name__ == "__main__":
    sys.exit(main())
