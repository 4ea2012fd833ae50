-- A retraction may come with the seed files rather than through the API:
-- the seed export writes each retraction into the files (a `retractions:`
-- section), and loading those files retracts the facts again. Such a
-- retraction has no revision (revision_id 0) and keeps who made it and
-- when itself; a retraction made through the API reads both from its
-- revision and leaves these empty.
ALTER TABLE retractions ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE retractions ADD COLUMN retracted_at TEXT NOT NULL DEFAULT '';
