-- A retraction that came with the seed files has no revision (revision_id
-- 0) and keeps who made it and when itself (SQLite migration 0012).
ALTER TABLE retractions ADD COLUMN author text NOT NULL DEFAULT '';
ALTER TABLE retractions ADD COLUMN retracted_at text NOT NULL DEFAULT '';
