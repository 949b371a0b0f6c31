-- Sprint 24: per-user symbol watchlists used by the pattern processor
CREATE TABLE IF NOT EXISTS symbol_watchlists (
    id         SERIAL PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    name       VARCHAR(80) NOT NULL,
    symbols    TEXT[] NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (user_id, name)
);
