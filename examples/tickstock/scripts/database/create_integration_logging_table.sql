-- Integration event logging (Sprint 25)
-- Tracks every checkpoint of a pattern flow from TickStockPL to the browser.

CREATE TABLE IF NOT EXISTS integration_events (
    id          BIGSERIAL PRIMARY KEY,
    timestamp   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    flow_id     VARCHAR(64),
    event_type  VARCHAR(50) NOT NULL,
    checkpoint  VARCHAR(50),
    symbol      VARCHAR(20),
    latency_ms  NUMERIC(10, 2),
    details     JSONB DEFAULT '{}'::jsonb,
    source      VARCHAR(50) NOT NULL DEFAULT 'tickstock_app'
);

CREATE INDEX IF NOT EXISTS idx_integration_events_flow ON integration_events (flow_id);
CREATE INDEX IF NOT EXISTS idx_integration_events_ts ON integration_events (timestamp DESC);
CREATE INDEX IF NOT EXISTS idx_integration_events_checkpoint
    ON integration_events (checkpoint) WHERE checkpoint IS NOT NULL;

CREATE OR REPLACE VIEW pattern_flow_analysis AS
SELECT flow_id,
       MIN(symbol)                                            AS symbol,
       MIN(timestamp)                                         AS started_at,
       MAX(timestamp)                                         AS finished_at,
       EXTRACT(EPOCH FROM MAX(timestamp) - MIN(timestamp)) * 1000 AS total_ms,
       COUNT(*) FILTER (WHERE checkpoint IS NOT NULL)         AS checkpoints,
       bool_or(checkpoint = 'WEBSOCKET_BROADCAST')            AS delivered
  FROM integration_events
 WHERE flow_id IS NOT NULL
 GROUP BY flow_id;

CREATE OR REPLACE FUNCTION log_integration_event(
    p_flow_id    VARCHAR,
    p_event_type VARCHAR,
    p_checkpoint VARCHAR,
    p_symbol     VARCHAR,
    p_latency_ms NUMERIC,
    p_details    JSONB,
    p_source     VARCHAR
) RETURNS BIGINT AS $$
DECLARE
    new_id BIGINT;
BEGIN
    INSERT INTO integration_events (flow_id, event_type, checkpoint, symbol, latency_ms, details, source)
    VALUES (p_flow_id, p_event_type, p_checkpoint, p_symbol, p_latency_ms, p_details, p_source)
    RETURNING id INTO new_id;
    RETURN new_id;
END;
$$ LANGUAGE plpgsql;

GRANT SELECT, INSERT ON integration_events TO app_readwrite;
GRANT USAGE, SELECT ON SEQUENCE integration_events_id_seq TO app_readwrite;
GRANT SELECT ON pattern_flow_analysis TO app_readwrite;
GRANT EXECUTE ON FUNCTION log_integration_event(VARCHAR, VARCHAR, VARCHAR, VARCHAR, NUMERIC, JSONB, VARCHAR)
    TO app_readwrite;
