-- Owner: the node. Facts about this installation that outlive a process: its id, when it was
-- created, the schema's first node. One row per key; read at start, written rarely.
CREATE TABLE node_meta (
    key        text PRIMARY KEY,
    value      text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
