-- Statistics of the data's shape, which the query cost model prices lists
-- and aggregates by. Like deal_facts they are derived from the other tables
-- whenever data is replaced (db.statisticsStatements).

-- list_sizes holds, for each list field of the API that follows a relation
-- (Company.projects, Meeting.participants, ...), how many children its
-- parents have.
CREATE TABLE list_sizes (
    list         TEXT    PRIMARY KEY, -- the GraphQL field, e.g. 'Company.projects'
    parents      INTEGER NOT NULL,    -- rows of the parent's table
    children     INTEGER NOT NULL,    -- children of all parents
    max_children INTEGER NOT NULL,    -- children of the parent with the most
    p99_children INTEGER NOT NULL     -- no more than 1% of parents have more
) STRICT, WITHOUT ROWID;

-- list_hubs holds the parents with more children than p99_children: the few
-- a query may name whose lists are far longer than most.
CREATE TABLE list_hubs (
    list       TEXT    NOT NULL,
    subject    TEXT    NOT NULL, -- the parent's kind, as citations name it
    subject_id INTEGER NOT NULL,
    children   INTEGER NOT NULL,
    PRIMARY KEY (list, subject_id)
) STRICT, WITHOUT ROWID;

-- aggregate_sizes holds the work of each aggregate: 'counts', and 'money'
-- with each grouping ('money COMPANY', ...).
CREATE TABLE aggregate_sizes (
    aggregate TEXT    PRIMARY KEY,
    scanned   INTEGER NOT NULL, -- rows computing it reads
    groups    INTEGER NOT NULL, -- most groups it returns
    listed    INTEGER NOT NULL, -- most amounts its groups list in all
    excluded  INTEGER NOT NULL  -- most amounts it lists as left out
) STRICT, WITHOUT ROWID;

-- The statistics of the data already loaded are derived by the statements
-- that Replace runs, right after this file.
