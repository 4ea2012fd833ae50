-- Evidence an analyst can weigh. Every fact is either stated in the
-- paragraph it cites (basis 'STATED') or a curator's inference from it
-- ('INFERRED', with a note saying from what). Figures, amounts and
-- positions may name who the article attributes them to; figures may name
-- a counterparty and a period. Statements (what a person said) and events
-- (visits, trips, roundtables, councils, ceremonies) are objects of their
-- own. The rows already loaded were all curated as stated facts, which the
-- defaults say.

ALTER TABLE positions ADD COLUMN basis TEXT NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED'));
ALTER TABLE positions ADD COLUMN inference_note TEXT;
ALTER TABLE positions ADD COLUMN attributed_type TEXT CHECK (attributed_type IN ('Person', 'Company'));
ALTER TABLE positions ADD COLUMN attributed_id INTEGER;

ALTER TABLE project_participants ADD COLUMN basis TEXT NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED'));
ALTER TABLE project_participants ADD COLUMN inference_note TEXT;

ALTER TABLE measurements ADD COLUMN basis TEXT NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED'));
ALTER TABLE measurements ADD COLUMN inference_note TEXT;
ALTER TABLE measurements ADD COLUMN attributed_type TEXT CHECK (attributed_type IN ('Person', 'Company'));
ALTER TABLE measurements ADD COLUMN attributed_id INTEGER;
-- A two-sided figure: between the company it is about and a counterparty,
-- over a period whose ends are partial dates (either may be unknown).
ALTER TABLE measurements ADD COLUMN counterparty_id INTEGER REFERENCES companies (id);
ALTER TABLE measurements ADD COLUMN period_start TEXT;
ALTER TABLE measurements ADD COLUMN period_end TEXT;

ALTER TABLE milestones ADD COLUMN basis TEXT NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED'));
ALTER TABLE milestones ADD COLUMN inference_note TEXT;

ALTER TABLE amounts ADD COLUMN basis TEXT NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED'));
ALTER TABLE amounts ADD COLUMN inference_note TEXT;
ALTER TABLE amounts ADD COLUMN attributed_type TEXT CHECK (attributed_type IN ('Person', 'Company'));
ALTER TABLE amounts ADD COLUMN attributed_id INTEGER;

ALTER TABLE meeting_participants ADD COLUMN basis TEXT NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED'));
ALTER TABLE meeting_participants ADD COLUMN inference_note TEXT;
-- HOST, GUEST or DELEGATION_MEMBER where the article says so.
ALTER TABLE meeting_participants ADD COLUMN role TEXT;
ALTER TABLE meeting_organizations ADD COLUMN basis TEXT NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED'));
ALTER TABLE meeting_organizations ADD COLUMN inference_note TEXT;
ALTER TABLE meeting_projects ADD COLUMN basis TEXT NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED'));
ALTER TABLE meeting_projects ADD COLUMN inference_note TEXT;
ALTER TABLE agreement_parties ADD COLUMN basis TEXT NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED'));
ALTER TABLE agreement_parties ADD COLUMN inference_note TEXT;
ALTER TABLE agreement_signatories ADD COLUMN basis TEXT NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED'));
ALTER TABLE agreement_signatories ADD COLUMN inference_note TEXT;
ALTER TABLE agreement_projects ADD COLUMN basis TEXT NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED'));
ALTER TABLE agreement_projects ADD COLUMN inference_note TEXT;

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    start_on       TEXT,
    start_start    TEXT,
    start_end      TEXT,
    end_on         TEXT,
    end_start      TEXT,
    end_end        TEXT,
    location       TEXT,
    description    TEXT,
    part_of_id     INTEGER REFERENCES events (id),
    first_reported TEXT NOT NULL DEFAULT ''
) STRICT;
-- An agreement's status (SIGNED, REACHED or PLANNED), the package it is
-- part of, and the event it was signed at.
ALTER TABLE agreements ADD COLUMN status TEXT NOT NULL DEFAULT 'SIGNED';
ALTER TABLE agreements ADD COLUMN part_of_id INTEGER REFERENCES agreements (id);
ALTER TABLE agreements ADD COLUMN event_id INTEGER REFERENCES events (id);
ALTER TABLE meetings ADD COLUMN event_id INTEGER REFERENCES events (id);

CREATE INDEX events_start ON events (start_start, slug);
CREATE INDEX meetings_event ON meetings (event_id);
CREATE INDEX agreements_event ON agreements (event_id);
CREATE INDEX agreements_part_of ON agreements (part_of_id);

-- A statement is what a person said, as one paragraph reports it; it is
-- about any objects of the graph (statement_subjects, in the order given).
CREATE TABLE statements (
    id             INTEGER PRIMARY KEY,
    slug           TEXT    NOT NULL UNIQUE,
    speaker_id     INTEGER NOT NULL REFERENCES people (id),
    date           TEXT,
    date_start     TEXT,
    date_end       TEXT,
    meeting_id     INTEGER REFERENCES meetings (id),
    event_id       INTEGER REFERENCES events (id),
    summary        TEXT    NOT NULL,
    source_id      INTEGER NOT NULL REFERENCES sources (id),
    paragraph      INTEGER NOT NULL,
    basis          TEXT    NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED')),
    inference_note TEXT,
    reported       TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX statements_speaker ON statements (speaker_id, date_start);
CREATE INDEX statements_meeting ON statements (meeting_id);
CREATE INDEX statements_event ON statements (event_id);

CREATE TABLE statement_subjects (
    statement_id INTEGER NOT NULL REFERENCES statements (id),
    position     INTEGER NOT NULL,
    subject_type TEXT    NOT NULL CHECK (subject_type IN ('Company', 'Person', 'Project', 'Meeting', 'Agreement', 'Event')),
    subject_id   INTEGER NOT NULL,
    PRIMARY KEY (statement_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX statement_subjects_subject ON statement_subjects (subject_type, subject_id);

-- attribute_inferences lists the attributes of objects (a company's kind,
-- a project's region, an agreement's package, ...) that a curator inferred,
-- each with its note; every attribute not listed is stated.
CREATE TABLE attribute_inferences (
    subject    TEXT    NOT NULL,
    subject_id INTEGER NOT NULL,
    attribute  TEXT    NOT NULL,
    note       TEXT    NOT NULL,
    PRIMARY KEY (subject, subject_id, attribute)
) STRICT, WITHOUT ROWID;

-- Events carry citation lists too, so the citations table is rebuilt with
-- 'event' among its subjects.
CREATE TABLE citations_new (
    subject    TEXT    NOT NULL CHECK (subject IN ('company', 'person', 'project', 'meeting', 'agreement', 'position', 'participant', 'event')),
    subject_id INTEGER NOT NULL,
    source_id  INTEGER NOT NULL REFERENCES sources (id),
    paragraph  INTEGER NOT NULL,
    PRIMARY KEY (subject, subject_id, source_id, paragraph)
) STRICT, WITHOUT ROWID;
INSERT INTO citations_new (subject, subject_id, source_id, paragraph)
SELECT subject, subject_id, source_id, paragraph FROM citations;
DROP TABLE citations;
ALTER TABLE citations_new RENAME TO citations;
CREATE INDEX citations_source ON citations (source_id);
