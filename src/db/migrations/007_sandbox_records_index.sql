-- Sandboxes look records up by their contents (refunds in flight, refunds of a trade): index the JSON.
CREATE INDEX sandbox_records_data_idx ON sandbox_records USING gin (data jsonb_path_ops);
