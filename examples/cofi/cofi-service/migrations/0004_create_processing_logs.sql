-- 0004: per-call processing log (one row per stage attempt)
CREATE TABLE IF NOT EXISTS processing_logs (
    id              BIGSERIAL PRIMARY KEY,
    call_id         TEXT        NOT NULL,
    batch_id        UUID        NOT NULL REFERENCES batches (batch_id),
    stage_name      TEXT        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('success', 'failed')),
    error_message   TEXT,
    input_payload   TEXT,
    output_payload  TEXT,
    duration_ms     INTEGER,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS processing_logs_batch_idx ON processing_logs (batch_id, status);
