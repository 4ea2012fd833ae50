-- The investment graph. Dates are stored twice: as the partial date the
-- source gave (e.g. 2024-Q4) and as the first and last day it covers, which
-- order and filter correctly.

CREATE TABLE sources (
    id           INTEGER PRIMARY KEY,
    slug         TEXT    NOT NULL UNIQUE,
    title        TEXT    NOT NULL,
    publisher    TEXT,
    attribution  TEXT,
    published_on TEXT    NOT NULL,
    published_start TEXT NOT NULL,
    paragraphs   INTEGER NOT NULL CHECK (paragraphs > 0)
) STRICT;
CREATE INDEX sources_published ON sources (published_start, slug);

CREATE TABLE companies (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    country      TEXT CHECK (country IS NULL OR length(country) = 2),
    parent_id    INTEGER REFERENCES companies (id),
    founded      TEXT,
    headquarters TEXT,
    description  TEXT
) STRICT;
CREATE INDEX companies_parent ON companies (parent_id);
CREATE INDEX companies_name ON companies (name COLLATE NOCASE, slug);

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT
) STRICT;
CREATE INDEX people_name ON people (name COLLATE NOCASE, slug);

CREATE TABLE projects (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    sector      TEXT NOT NULL,
    status      TEXT NOT NULL,
    region      TEXT,
    description TEXT
) STRICT;
CREATE INDEX projects_name ON projects (name COLLATE NOCASE, slug);

-- names holds every name an entity answers to, canonical and aliases, in a
-- normalized form for case- and punctuation-insensitive lookup.
CREATE TABLE names (
    subject    TEXT    NOT NULL CHECK (subject IN ('company', 'person', 'project')),
    subject_id INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    norm       TEXT    NOT NULL,
    alias      INTEGER NOT NULL CHECK (alias IN (0, 1)),
    PRIMARY KEY (subject, subject_id, name)
) STRICT;
CREATE INDEX names_norm ON names (subject, norm);

CREATE TABLE positions (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES people (id),
    organization_id INTEGER NOT NULL REFERENCES companies (id),
    title           TEXT    NOT NULL,
    reported_on     TEXT    NOT NULL,
    reported_start  TEXT    NOT NULL
) STRICT;
CREATE INDEX positions_person ON positions (person_id, reported_start);
CREATE INDEX positions_organization ON positions (organization_id, reported_start);

CREATE TABLE project_participants (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id),
    company_id INTEGER NOT NULL REFERENCES companies (id),
    role       TEXT    NOT NULL,
    UNIQUE (project_id, company_id, role)
) STRICT;
CREATE INDEX project_participants_company ON project_participants (company_id);

CREATE TABLE meetings (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    date       TEXT NOT NULL,
    date_start TEXT NOT NULL,
    date_end   TEXT NOT NULL,
    location   TEXT,
    occasion   TEXT,
    summary    TEXT
) STRICT;
CREATE INDEX meetings_date ON meetings (date_start, slug);

CREATE TABLE meeting_participants (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    person_id  INTEGER NOT NULL REFERENCES people (id),
    PRIMARY KEY (meeting_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX meeting_participants_person ON meeting_participants (person_id);

CREATE TABLE meeting_organizations (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    company_id INTEGER NOT NULL REFERENCES companies (id),
    PRIMARY KEY (meeting_id, company_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX meeting_organizations_company ON meeting_organizations (company_id);

CREATE TABLE meeting_projects (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    project_id INTEGER NOT NULL REFERENCES projects (id),
    PRIMARY KEY (meeting_id, project_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX meeting_projects_project ON meeting_projects (project_id);

CREATE TABLE meeting_topics (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    position   INTEGER NOT NULL,
    topic      TEXT    NOT NULL,
    PRIMARY KEY (meeting_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE agreements (
    id             INTEGER PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    signed_on      TEXT,
    signed_start   TEXT,
    document_count INTEGER,
    document_count_approximation TEXT,
    meeting_id     INTEGER REFERENCES meetings (id),
    summary        TEXT
) STRICT;
CREATE INDEX agreements_meeting ON agreements (meeting_id);
CREATE INDEX agreements_signed ON agreements (signed_start, slug);

CREATE TABLE agreement_parties (
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    company_id   INTEGER NOT NULL REFERENCES companies (id),
    PRIMARY KEY (agreement_id, company_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX agreement_parties_company ON agreement_parties (company_id);

CREATE TABLE agreement_signatories (
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    person_id    INTEGER NOT NULL REFERENCES people (id),
    PRIMARY KEY (agreement_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX agreement_signatories_person ON agreement_signatories (person_id);

CREATE TABLE agreement_projects (
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    project_id   INTEGER NOT NULL REFERENCES projects (id),
    PRIMARY KEY (agreement_id, project_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX agreement_projects_project ON agreement_projects (project_id);

CREATE TABLE measurements (
    id            INTEGER PRIMARY KEY,
    company_id    INTEGER REFERENCES companies (id),
    project_id    INTEGER REFERENCES projects (id),
    metric        TEXT    NOT NULL,
    label         TEXT,
    value         REAL    NOT NULL,
    unit          TEXT    NOT NULL,
    approximation TEXT    NOT NULL,
    as_of         TEXT    NOT NULL,
    as_of_start   TEXT    NOT NULL,
    as_of_end     TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    source_id     INTEGER NOT NULL REFERENCES sources (id),
    paragraph     INTEGER NOT NULL,
    CHECK ((company_id IS NULL) <> (project_id IS NULL))
) STRICT;
CREATE INDEX measurements_company ON measurements (company_id, as_of_start) WHERE company_id IS NOT NULL;
CREATE INDEX measurements_project ON measurements (project_id, as_of_start) WHERE project_id IS NOT NULL;

CREATE TABLE milestones (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id),
    name       TEXT    NOT NULL,
    date       TEXT,
    date_start TEXT,
    status     TEXT    NOT NULL,
    source_id  INTEGER NOT NULL REFERENCES sources (id),
    paragraph  INTEGER NOT NULL
) STRICT;
CREATE INDEX milestones_project ON milestones (project_id, date_start);

CREATE TABLE amounts (
    id            INTEGER PRIMARY KEY,
    project_id    INTEGER REFERENCES projects (id),
    agreement_id  INTEGER REFERENCES agreements (id),
    amount        REAL    NOT NULL,
    currency      TEXT    NOT NULL,
    approximation TEXT    NOT NULL,
    label         TEXT,
    source_id     INTEGER NOT NULL REFERENCES sources (id),
    paragraph     INTEGER NOT NULL,
    CHECK ((project_id IS NULL) <> (agreement_id IS NULL))
) STRICT;
CREATE INDEX amounts_project ON amounts (project_id) WHERE project_id IS NOT NULL;
CREATE INDEX amounts_agreement ON amounts (agreement_id) WHERE agreement_id IS NOT NULL;

-- citations ties entities and relations to the paragraphs that report them.
-- Figures, milestones and amounts carry their single citation inline.
CREATE TABLE citations (
    subject    TEXT    NOT NULL CHECK (subject IN ('company', 'person', 'project', 'meeting', 'agreement', 'position', 'participant')),
    subject_id INTEGER NOT NULL,
    source_id  INTEGER NOT NULL REFERENCES sources (id),
    paragraph  INTEGER NOT NULL,
    PRIMARY KEY (subject, subject_id, source_id, paragraph)
) STRICT, WITHOUT ROWID;
CREATE INDEX citations_source ON citations (source_id);
