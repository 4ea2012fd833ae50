-- deal_facts holds what the money summary groups and covers each deal by,
-- for the deals (agreements and projects) that have amounts: an agreement's
-- signing year, each deal's parties (an agreement's parties, a project's
-- participants) and sectors, and the projects with amounts that an
-- agreement covers. Each fact is visible from the day it was first
-- reported. It is derived from the other tables when data is replaced, so
-- that a summary reads a few rows per deal, in deal order, instead of
-- joining every party to its company.
CREATE TABLE deal_facts (
    fact      TEXT    NOT NULL CHECK (fact IN ('year', 'party', 'sector', 'project')),
    agreement INTEGER NOT NULL CHECK (agreement IN (0, 1)), -- 1: deal_id is an agreement, 0: a project
    deal_id   INTEGER NOT NULL,
    value     TEXT    NOT NULL, -- the year, the party's slug, the sector or the covered project's id
    name      TEXT    NOT NULL DEFAULT '', -- the party's name
    country   TEXT    NOT NULL DEFAULT '', -- the party's country, '' if it has none
    reported  TEXT    NOT NULL,
    PRIMARY KEY (fact, agreement, deal_id, value)
) STRICT, WITHOUT ROWID;

-- The facts of the data already loaded are derived by the statements that
-- Replace runs (db.dealFactsStatements), right after this file.
