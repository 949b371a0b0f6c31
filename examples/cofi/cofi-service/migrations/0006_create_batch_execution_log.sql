-- 0006: structured batch event stream read by the dashboard
CREATE TABLE IF NOT EXISTS "batchExecutionLog" (
    "id"        BIGSERIAL PRIMARY KEY,
    "batchId"   UUID        NOT NULL REFERENCES batches (batch_id),
    "eventType" TEXT        NOT NULL,
    "stage"     TEXT,
    "fileName"  TEXT,
    "message"   TEXT,
    "metadata"  JSONB       NOT NULL DEFAULT '{}'::jsonb,
    "createdAt" TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS batch_execution_log_batch_idx
    ON "batchExecutionLog" ("batchId", "eventType");
