-- Staff close a flagged difference with what they found and did; who did it is kept with it.
ALTER TABLE reconciliation_differences ADD COLUMN resolved_by bigint REFERENCES users (id);
ALTER TABLE reconciliation_differences ADD COLUMN resolution_note text;
