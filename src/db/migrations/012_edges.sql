-- Edges (docs/reliability.md, Edges): how much of a notification is kept, and from where it came.
-- raw_size: the body's size in bytes as received; raw_body may hold less of it (body_truncated) when the
-- notification could not be verified, since anyone can send those. body_encoding: 'text', or 'base64' when
-- the body held a NUL, which PostgreSQL's text cannot store. source_ip: the sending address, so that
-- unverifiable notifications are counted (and limited) per address.
ALTER TABLE notifications ADD COLUMN raw_size integer;
ALTER TABLE notifications ADD COLUMN body_truncated boolean NOT NULL DEFAULT false;
ALTER TABLE notifications ADD COLUMN body_encoding text NOT NULL DEFAULT 'text' CHECK (body_encoding IN ('text', 'base64'));
ALTER TABLE notifications ADD COLUMN source_ip text;
CREATE INDEX notifications_unverified_by_source ON notifications (source_ip, received_at)
  WHERE reason IN ('bad_signature', 'malformed', 'probe');
