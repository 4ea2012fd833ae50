-- Corrections without loss. A revision is either a changeset or a
-- retraction of one fact; a retraction's body is the retraction as JSON
-- (see db.RetractionBody), replayed in order with the changesets.
ALTER TABLE revisions ADD COLUMN kind TEXT NOT NULL DEFAULT 'changeset' CHECK (kind IN ('changeset', 'retraction'));

-- Every fact has a key made of the slugs and fields that identify it, which
-- outlives row ids across rebuilds and reseeds (db.factKeyStatements derive
-- it, right after this file over the data already loaded).
ALTER TABLE positions ADD COLUMN fact_key TEXT NOT NULL DEFAULT '';
ALTER TABLE project_participants ADD COLUMN fact_key TEXT NOT NULL DEFAULT '';
ALTER TABLE measurements ADD COLUMN fact_key TEXT NOT NULL DEFAULT '';
ALTER TABLE milestones ADD COLUMN fact_key TEXT NOT NULL DEFAULT '';
ALTER TABLE amounts ADD COLUMN fact_key TEXT NOT NULL DEFAULT '';

-- A retraction withdraws one fact, named by its type and key: the revision
-- that did it, why, and the paragraph that shows it wrong, if given. The
-- fact's row stays; its visibility day (see db.visibilityStatements) is
-- marked as retracted, so reads leave it out unless asked for it. A
-- meeting's participant, a link with no day of its own, is kept here
-- instead of in meeting_participants: the meeting and the person
-- (link_from, link_to) and the link's basis, note and role.
CREATE TABLE retractions (
    fact_type   TEXT    NOT NULL CHECK (fact_type IN ('Position', 'ProjectParticipant', 'Measurement', 'Milestone', 'Amount', 'Statement', 'MeetingParticipation')),
    fact_key    TEXT    NOT NULL,
    revision_id INTEGER NOT NULL,
    reason      TEXT    NOT NULL,
    source_id   INTEGER REFERENCES sources (id),
    paragraph   INTEGER,
    link_from   INTEGER,
    link_to     INTEGER,
    basis       TEXT,
    inference_note TEXT,
    role        TEXT,
    PRIMARY KEY (fact_type, fact_key)
) STRICT, WITHOUT ROWID;
