-- Reads as of a date see a relation or a figure only once its ends are
-- reported too: the first_reported and reported columns of positions,
-- project participants, measurements, milestones and amounts become the
-- days from which they are visible (see db.visibilityStatements, which run
-- right after this file over the data already loaded).
--
-- The full-text index gains an until column: an entity whose text grows
-- with relations reported later has one row per day its text changes, each
-- the entity's text from reported until until (NULL: for good). The index
-- is rebuilt from the other tables right after this file.
DROP TABLE search;
CREATE VIRTUAL TABLE search USING fts5 (
    kind UNINDEXED,
    subject_id UNINDEXED,
    reported UNINDEXED,
    until UNINDEXED,
    name,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);
