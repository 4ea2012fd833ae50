-- The investment graph on PostgreSQL: the tables, columns and indexes the
-- SQLite migrations (db/migrations) end with, in one step. Integer flags
-- stay integers (0/1) so that both engines scan them alike. Index keys
-- place NULLs first, as SQLite orders them and as the translated ORDER BY
-- clauses ask (see db/dialect.go). Foreign keys are checked at commit:
-- a load writes children and parents in any order, after checking the
-- references of the whole dataset itself.

CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TABLE sources (
    id              bigint PRIMARY KEY,
    slug            text   NOT NULL UNIQUE,
    title           text   NOT NULL,
    publisher       text,
    attribution     text,
    published_on    text   NOT NULL,
    published_start text   NOT NULL,
    paragraphs      bigint NOT NULL CHECK (paragraphs > 0),
    published_end   text   NOT NULL DEFAULT ''
);
CREATE INDEX sources_published ON sources (published_start NULLS FIRST, slug NULLS FIRST);

CREATE TABLE companies (
    id             bigint PRIMARY KEY,
    slug           text NOT NULL UNIQUE,
    name           text NOT NULL,
    kind           text NOT NULL,
    country        text CHECK (country IS NULL OR length(country) = 2),
    parent_id      bigint REFERENCES companies (id) DEFERRABLE INITIALLY DEFERRED,
    founded        text,
    headquarters   text,
    description    text,
    first_reported text NOT NULL DEFAULT ''
);
CREATE INDEX companies_parent ON companies (parent_id NULLS FIRST);
CREATE INDEX companies_name ON companies (lower(name COLLATE "C") NULLS FIRST, slug NULLS FIRST);
CREATE INDEX companies_reported ON companies (first_reported NULLS FIRST);
CREATE INDEX companies_country ON companies (country NULLS FIRST, kind NULLS FIRST);

CREATE TABLE people (
    id             bigint PRIMARY KEY,
    slug           text NOT NULL UNIQUE,
    name           text NOT NULL,
    description    text,
    first_reported text NOT NULL DEFAULT ''
);
CREATE INDEX people_name ON people (lower(name COLLATE "C") NULLS FIRST, slug NULLS FIRST);

CREATE TABLE projects (
    id             bigint PRIMARY KEY,
    slug           text NOT NULL UNIQUE,
    name           text NOT NULL,
    sector         text NOT NULL,
    status         text NOT NULL,
    region         text,
    description    text,
    first_reported text NOT NULL DEFAULT ''
);
CREATE INDEX projects_name ON projects (lower(name COLLATE "C") NULLS FIRST, slug NULLS FIRST);
CREATE INDEX projects_reported ON projects (first_reported NULLS FIRST);
CREATE INDEX projects_sector ON projects (sector NULLS FIRST, status NULLS FIRST);

CREATE TABLE names (
    subject    text   NOT NULL CHECK (subject IN ('company', 'person', 'project')),
    subject_id bigint NOT NULL,
    name       text   NOT NULL,
    norm       text   NOT NULL,
    alias      bigint NOT NULL CHECK (alias IN (0, 1)),
    PRIMARY KEY (subject, subject_id, name)
);
CREATE INDEX names_norm ON names (subject NULLS FIRST, norm NULLS FIRST);

CREATE TABLE events (
    id             bigint PRIMARY KEY,
    slug           text NOT NULL UNIQUE,
    name           text NOT NULL,
    kind           text NOT NULL,
    start_on       text,
    start_start    text,
    start_end      text,
    end_on         text,
    end_start      text,
    end_end        text,
    location       text,
    description    text,
    part_of_id     bigint REFERENCES events (id) DEFERRABLE INITIALLY DEFERRED,
    first_reported text NOT NULL DEFAULT ''
);
CREATE INDEX events_start ON events (start_start NULLS FIRST, slug NULLS FIRST);

CREATE TABLE positions (
    id              bigint PRIMARY KEY,
    person_id       bigint NOT NULL REFERENCES people (id) DEFERRABLE INITIALLY DEFERRED,
    organization_id bigint NOT NULL REFERENCES companies (id) DEFERRABLE INITIALLY DEFERRED,
    title           text   NOT NULL,
    reported_on     text   NOT NULL,
    reported_start  text   NOT NULL,
    first_reported  text   NOT NULL DEFAULT '',
    reported_end    text   NOT NULL DEFAULT '',
    basis           text   NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED')),
    inference_note  text,
    attributed_type text CHECK (attributed_type IN ('Person', 'Company')),
    attributed_id   bigint,
    fact_key        text   NOT NULL DEFAULT ''
);
CREATE INDEX positions_person ON positions (person_id NULLS FIRST, reported_start NULLS FIRST);
CREATE INDEX positions_organization ON positions (organization_id NULLS FIRST, reported_start NULLS FIRST);

CREATE TABLE project_participants (
    id             bigint PRIMARY KEY,
    project_id     bigint NOT NULL REFERENCES projects (id) DEFERRABLE INITIALLY DEFERRED,
    company_id     bigint NOT NULL REFERENCES companies (id) DEFERRABLE INITIALLY DEFERRED,
    role           text   NOT NULL,
    first_reported text   NOT NULL DEFAULT '',
    basis          text   NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED')),
    inference_note text,
    fact_key       text   NOT NULL DEFAULT '',
    UNIQUE (project_id, company_id, role)
);
CREATE INDEX project_participants_company ON project_participants (company_id NULLS FIRST);

CREATE TABLE meetings (
    id             bigint PRIMARY KEY,
    slug           text NOT NULL UNIQUE,
    date           text NOT NULL,
    date_start     text NOT NULL,
    date_end       text NOT NULL,
    location       text,
    occasion       text,
    summary        text,
    first_reported text NOT NULL DEFAULT '',
    event_id       bigint REFERENCES events (id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX meetings_date ON meetings (date_start NULLS FIRST, slug NULLS FIRST);
CREATE INDEX meetings_location ON meetings (location NULLS FIRST);
CREATE INDEX meetings_event ON meetings (event_id NULLS FIRST);

CREATE TABLE meeting_participants (
    meeting_id     bigint NOT NULL REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
    person_id      bigint NOT NULL REFERENCES people (id) DEFERRABLE INITIALLY DEFERRED,
    basis          text   NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED')),
    inference_note text,
    role           text,
    PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX meeting_participants_person ON meeting_participants (person_id NULLS FIRST);

CREATE TABLE meeting_organizations (
    meeting_id     bigint NOT NULL REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
    company_id     bigint NOT NULL REFERENCES companies (id) DEFERRABLE INITIALLY DEFERRED,
    basis          text   NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED')),
    inference_note text,
    PRIMARY KEY (meeting_id, company_id)
);
CREATE INDEX meeting_organizations_company ON meeting_organizations (company_id NULLS FIRST);

CREATE TABLE meeting_projects (
    meeting_id     bigint NOT NULL REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
    project_id     bigint NOT NULL REFERENCES projects (id) DEFERRABLE INITIALLY DEFERRED,
    basis          text   NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED')),
    inference_note text,
    PRIMARY KEY (meeting_id, project_id)
);
CREATE INDEX meeting_projects_project ON meeting_projects (project_id NULLS FIRST);

CREATE TABLE meeting_topics (
    meeting_id bigint NOT NULL REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
    position   bigint NOT NULL,
    topic      text   NOT NULL,
    PRIMARY KEY (meeting_id, position)
);

CREATE TABLE agreements (
    id             bigint PRIMARY KEY,
    slug           text NOT NULL UNIQUE,
    title          text NOT NULL,
    kind           text NOT NULL,
    signed_on      text,
    signed_start   text,
    document_count bigint,
    document_count_approximation text,
    meeting_id     bigint REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
    summary        text,
    first_reported text NOT NULL DEFAULT '',
    signed_end     text,
    status         text NOT NULL DEFAULT 'SIGNED',
    part_of_id     bigint REFERENCES agreements (id) DEFERRABLE INITIALLY DEFERRED,
    event_id       bigint REFERENCES events (id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX agreements_meeting ON agreements (meeting_id NULLS FIRST);
CREATE INDEX agreements_signed ON agreements (signed_start NULLS FIRST, slug NULLS FIRST);
CREATE INDEX agreements_kind ON agreements (kind NULLS FIRST);
CREATE INDEX agreements_event ON agreements (event_id NULLS FIRST);
CREATE INDEX agreements_part_of ON agreements (part_of_id NULLS FIRST);

CREATE TABLE agreement_parties (
    agreement_id   bigint NOT NULL REFERENCES agreements (id) DEFERRABLE INITIALLY DEFERRED,
    company_id     bigint NOT NULL REFERENCES companies (id) DEFERRABLE INITIALLY DEFERRED,
    basis          text   NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED')),
    inference_note text,
    PRIMARY KEY (agreement_id, company_id)
);
CREATE INDEX agreement_parties_company ON agreement_parties (company_id NULLS FIRST);

CREATE TABLE agreement_signatories (
    agreement_id   bigint NOT NULL REFERENCES agreements (id) DEFERRABLE INITIALLY DEFERRED,
    person_id      bigint NOT NULL REFERENCES people (id) DEFERRABLE INITIALLY DEFERRED,
    basis          text   NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED')),
    inference_note text,
    PRIMARY KEY (agreement_id, person_id)
);
CREATE INDEX agreement_signatories_person ON agreement_signatories (person_id NULLS FIRST);

CREATE TABLE agreement_projects (
    agreement_id   bigint NOT NULL REFERENCES agreements (id) DEFERRABLE INITIALLY DEFERRED,
    project_id     bigint NOT NULL REFERENCES projects (id) DEFERRABLE INITIALLY DEFERRED,
    basis          text   NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED')),
    inference_note text,
    PRIMARY KEY (agreement_id, project_id)
);
CREATE INDEX agreement_projects_project ON agreement_projects (project_id NULLS FIRST);

CREATE TABLE measurements (
    id              bigint PRIMARY KEY,
    company_id      bigint REFERENCES companies (id) DEFERRABLE INITIALLY DEFERRED,
    project_id      bigint REFERENCES projects (id) DEFERRABLE INITIALLY DEFERRED,
    metric          text   NOT NULL,
    label           text,
    value           double precision NOT NULL,
    unit            text   NOT NULL,
    approximation   text   NOT NULL,
    as_of           text   NOT NULL,
    as_of_start     text   NOT NULL,
    as_of_end       text   NOT NULL,
    status          text   NOT NULL,
    source_id       bigint NOT NULL REFERENCES sources (id) DEFERRABLE INITIALLY DEFERRED,
    paragraph       bigint NOT NULL,
    reported        text   NOT NULL DEFAULT '',
    basis           text   NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED')),
    inference_note  text,
    attributed_type text CHECK (attributed_type IN ('Person', 'Company')),
    attributed_id   bigint,
    counterparty_id bigint REFERENCES companies (id) DEFERRABLE INITIALLY DEFERRED,
    period_start    text,
    period_end      text,
    fact_key        text   NOT NULL DEFAULT '',
    CHECK ((company_id IS NULL) <> (project_id IS NULL))
);
CREATE INDEX measurements_company ON measurements (company_id NULLS FIRST, as_of_start NULLS FIRST) WHERE company_id IS NOT NULL;
CREATE INDEX measurements_project ON measurements (project_id NULLS FIRST, as_of_start NULLS FIRST) WHERE project_id IS NOT NULL;

CREATE TABLE milestones (
    id             bigint PRIMARY KEY,
    project_id     bigint NOT NULL REFERENCES projects (id) DEFERRABLE INITIALLY DEFERRED,
    name           text   NOT NULL,
    date           text,
    date_start     text,
    status         text   NOT NULL,
    source_id      bigint NOT NULL REFERENCES sources (id) DEFERRABLE INITIALLY DEFERRED,
    paragraph      bigint NOT NULL,
    reported       text   NOT NULL DEFAULT '',
    date_end       text,
    basis          text   NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED')),
    inference_note text,
    fact_key       text   NOT NULL DEFAULT ''
);
CREATE INDEX milestones_project ON milestones (project_id NULLS FIRST, date_start NULLS FIRST);

CREATE TABLE amounts (
    id              bigint PRIMARY KEY,
    project_id      bigint REFERENCES projects (id) DEFERRABLE INITIALLY DEFERRED,
    agreement_id    bigint REFERENCES agreements (id) DEFERRABLE INITIALLY DEFERRED,
    amount          double precision NOT NULL,
    currency        text   NOT NULL,
    approximation   text   NOT NULL,
    label           text,
    source_id       bigint NOT NULL REFERENCES sources (id) DEFERRABLE INITIALLY DEFERRED,
    paragraph       bigint NOT NULL,
    reported        text   NOT NULL DEFAULT '',
    basis           text   NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED')),
    inference_note  text,
    attributed_type text CHECK (attributed_type IN ('Person', 'Company')),
    attributed_id   bigint,
    fact_key        text   NOT NULL DEFAULT '',
    CHECK ((project_id IS NULL) <> (agreement_id IS NULL))
);
CREATE INDEX amounts_project ON amounts (project_id NULLS FIRST) WHERE project_id IS NOT NULL;
CREATE INDEX amounts_agreement ON amounts (agreement_id NULLS FIRST) WHERE agreement_id IS NOT NULL;

CREATE TABLE citations (
    subject    text   NOT NULL CHECK (subject IN ('company', 'person', 'project', 'meeting', 'agreement', 'position', 'participant', 'event')),
    subject_id bigint NOT NULL,
    source_id  bigint NOT NULL REFERENCES sources (id) DEFERRABLE INITIALLY DEFERRED,
    paragraph  bigint NOT NULL,
    PRIMARY KEY (subject, subject_id, source_id, paragraph)
);
CREATE INDEX citations_source ON citations (source_id NULLS FIRST);

CREATE TABLE statements (
    id             bigint PRIMARY KEY,
    slug           text   NOT NULL UNIQUE,
    speaker_id     bigint NOT NULL REFERENCES people (id) DEFERRABLE INITIALLY DEFERRED,
    date           text,
    date_start     text,
    date_end       text,
    meeting_id     bigint REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
    event_id       bigint REFERENCES events (id) DEFERRABLE INITIALLY DEFERRED,
    summary        text   NOT NULL,
    source_id      bigint NOT NULL REFERENCES sources (id) DEFERRABLE INITIALLY DEFERRED,
    paragraph      bigint NOT NULL,
    basis          text   NOT NULL DEFAULT 'STATED' CHECK (basis IN ('STATED', 'INFERRED')),
    inference_note text,
    reported       text   NOT NULL DEFAULT ''
);
CREATE INDEX statements_speaker ON statements (speaker_id NULLS FIRST, date_start NULLS FIRST);
CREATE INDEX statements_meeting ON statements (meeting_id NULLS FIRST);
CREATE INDEX statements_event ON statements (event_id NULLS FIRST);

CREATE TABLE statement_subjects (
    statement_id bigint NOT NULL REFERENCES statements (id) DEFERRABLE INITIALLY DEFERRED,
    position     bigint NOT NULL,
    subject_type text   NOT NULL CHECK (subject_type IN ('Company', 'Person', 'Project', 'Meeting', 'Agreement', 'Event')),
    subject_id   bigint NOT NULL,
    PRIMARY KEY (statement_id, position)
);
CREATE INDEX statement_subjects_subject ON statement_subjects (subject_type NULLS FIRST, subject_id NULLS FIRST);

CREATE TABLE attribute_inferences (
    subject    text   NOT NULL,
    subject_id bigint NOT NULL,
    attribute  text   NOT NULL,
    note       text   NOT NULL,
    PRIMARY KEY (subject, subject_id, attribute)
);

CREATE TABLE deal_facts (
    fact      text   NOT NULL CHECK (fact IN ('year', 'party', 'sector', 'project')),
    agreement bigint NOT NULL CHECK (agreement IN (0, 1)),
    deal_id   bigint NOT NULL,
    value     text   NOT NULL,
    name      text   NOT NULL DEFAULT '',
    country   text   NOT NULL DEFAULT '',
    reported  text   NOT NULL,
    PRIMARY KEY (fact, agreement, deal_id, value)
);

CREATE TABLE list_sizes (
    list         text   PRIMARY KEY,
    parents      bigint NOT NULL,
    children     bigint NOT NULL,
    max_children bigint NOT NULL,
    p99_children bigint NOT NULL
);

CREATE TABLE list_hubs (
    list       text   NOT NULL,
    subject    text   NOT NULL,
    subject_id bigint NOT NULL,
    children   bigint NOT NULL,
    PRIMARY KEY (list, subject_id)
);

CREATE TABLE aggregate_sizes (
    aggregate text   PRIMARY KEY,
    scanned   bigint NOT NULL,
    groups    bigint NOT NULL,
    listed    bigint NOT NULL,
    excluded  bigint NOT NULL
);

CREATE TABLE tokens (
    name       text  PRIMARY KEY,
    role       text  NOT NULL CHECK (role IN ('READER', 'EDITOR', 'ADMIN')),
    hash       bytea NOT NULL UNIQUE,
    created_at text  NOT NULL,
    revoked_at text
);

CREATE TABLE revisions (
    id              bigint PRIMARY KEY,
    author          text   NOT NULL,
    created_at      text   NOT NULL,
    message         text   NOT NULL,
    source_slug     text   NOT NULL,
    added           bigint NOT NULL,
    changed         bigint NOT NULL,
    idempotency_key text   UNIQUE,
    body            text   NOT NULL,
    touched         text   NOT NULL DEFAULT '[]',
    kind            text   NOT NULL DEFAULT 'changeset' CHECK (kind IN ('changeset', 'retraction'))
);
CREATE INDEX revisions_by_author ON revisions (author NULLS FIRST, id NULLS FIRST);
CREATE INDEX revisions_by_source ON revisions (source_slug NULLS FIRST, id NULLS FIRST);

CREATE TABLE retractions (
    fact_type      text   NOT NULL CHECK (fact_type IN ('Position', 'ProjectParticipant', 'Measurement', 'Milestone', 'Amount', 'Statement', 'MeetingParticipation')),
    fact_key       text   NOT NULL,
    revision_id    bigint NOT NULL,
    reason         text   NOT NULL,
    source_id      bigint REFERENCES sources (id) DEFERRABLE INITIALLY DEFERRED,
    paragraph      bigint,
    link_from      bigint,
    link_to        bigint,
    basis          text,
    inference_note text,
    role           text,
    PRIMARY KEY (fact_type, fact_key)
);

CREATE TABLE source_texts (
    source_slug text   NOT NULL,
    paragraph   bigint NOT NULL CHECK (paragraph >= 1),
    text        text   NOT NULL,
    PRIMARY KEY (source_slug, paragraph)
);

CREATE TABLE revision_changes (
    revision_id bigint NOT NULL,
    node_type   text   NOT NULL,
    node_slug   text   NOT NULL,
    added       text   NOT NULL DEFAULT '[]',
    changed     text   NOT NULL DEFAULT '[]',
    PRIMARY KEY (node_type, node_slug, revision_id)
);

-- search_text is the text of the full-text index: accents removed
-- (unaccent), letters in lower case (ICU's, for every script) and ASCII
-- punctuation read as space, so that "Beineu-Bozoi" and "beineu bozoi"
-- index alike, as SQLite's unicode61 tokenizer with remove_diacritics
-- makes them. unaccent is stable rather than immutable because its rules
-- file could change; it is called with its dictionary named, so that the
-- index may use it.
CREATE FUNCTION search_text(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(lower(unaccent('unaccent'::regdictionary, coalesce(t, '')) COLLATE "und-x-icu"), '[[:punct:]]+', ' ', 'g')
$$;

-- search is the full-text index: each row an entity's text from reported
-- until until (NULL: for good), as db.searchStatements derive it. doc
-- weighs the name (A) above the body (D).
CREATE TABLE search (
    rowid      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    kind       text,
    subject_id bigint,
    reported   text,
    until      text,
    name       text,
    body       text,
    doc        tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', search_text(name)), 'A') || setweight(to_tsvector('simple', search_text(body)), 'D')) STORED
);
CREATE INDEX search_doc ON search USING gin (doc);
CREATE INDEX search_subject ON search (kind NULLS FIRST, subject_id NULLS FIRST);

-- data_generation counts the revisions committed, by any process: caches
-- of every replica compare it (db.Store.DataVersion).
CREATE TABLE data_generation (
    id         bigint PRIMARY KEY CHECK (id = 1),
    generation bigint NOT NULL
);
INSERT INTO data_generation (id, generation) VALUES (1, 0);

-- printf formats a number as SQLite's printf does for the formats the
-- store uses: '%,d' (thousands separated by commas), '%g' (six
-- significant digits, trailing zeros dropped) and '%020.2f' (zero-padded,
-- for ordering).
CREATE FUNCTION printf(format text, v double precision) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE format
        WHEN '%,d' THEN to_char(trunc(v), 'FM999,999,999,999,999,999,990')
        WHEN '%020.2f' THEN CASE WHEN v < 0 THEN '-' || lpad(to_char(-v, 'FM99999999999999999990.00'), 19, '0')
            ELSE lpad(to_char(v, 'FM99999999999999999990.00'), 20, '0') END
        WHEN '%g' THEN CASE WHEN v = 0 THEN '0'
            WHEN abs(v) >= 1e-4 AND abs(v) < 1e6 THEN (SELECT CASE WHEN strpos(r.s, '.') > 0 THEN rtrim(rtrim(r.s, '0'), '.') ELSE r.s END
                FROM (SELECT round(v::numeric, greatest(0, 5 - floor(log(abs(v)))::int))::text AS s) r)
            ELSE to_char(v, '9.99999EEEE') END
    END
$$;
