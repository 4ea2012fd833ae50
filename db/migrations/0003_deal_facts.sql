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

-- The facts of the data already loaded; Replace derives them from now on.
INSERT INTO deal_facts (fact, agreement, deal_id, value, reported)
SELECT 'year', 1, x.id, substr(x.signed_start, 1, 4), x.first_reported FROM agreements x
WHERE x.signed_start IS NOT NULL AND x.id IN (SELECT agreement_id FROM amounts WHERE agreement_id IS NOT NULL);
INSERT INTO deal_facts (fact, agreement, deal_id, value, name, country, reported)
SELECT 'party', 1, l.agreement_id, c.slug, c.name, coalesce(c.country, ''), c.first_reported
FROM agreement_parties l JOIN companies c ON c.id = l.company_id
WHERE l.agreement_id IN (SELECT agreement_id FROM amounts WHERE agreement_id IS NOT NULL);
INSERT INTO deal_facts (fact, agreement, deal_id, value, reported)
SELECT 'sector', 1, l.agreement_id, p.sector, min(p.first_reported)
FROM agreement_projects l JOIN projects p ON p.id = l.project_id
WHERE l.agreement_id IN (SELECT agreement_id FROM amounts WHERE agreement_id IS NOT NULL)
GROUP BY l.agreement_id, p.sector;
INSERT INTO deal_facts (fact, agreement, deal_id, value, reported)
SELECT 'project', 1, l.agreement_id, CAST(l.project_id AS TEXT), ''
FROM agreement_projects l
WHERE l.agreement_id IN (SELECT agreement_id FROM amounts WHERE agreement_id IS NOT NULL)
    AND EXISTS (SELECT 1 FROM amounts a WHERE a.project_id = l.project_id);
INSERT INTO deal_facts (fact, agreement, deal_id, value, reported)
SELECT 'sector', 0, x.id, x.sector, x.first_reported FROM projects x
WHERE x.id IN (SELECT project_id FROM amounts WHERE project_id IS NOT NULL);
INSERT INTO deal_facts (fact, agreement, deal_id, value, name, country, reported)
SELECT 'party', 0, l.project_id, c.slug, c.name, coalesce(c.country, ''), min(l.first_reported)
FROM project_participants l JOIN companies c ON c.id = l.company_id
WHERE l.project_id IN (SELECT project_id FROM amounts WHERE project_id IS NOT NULL)
GROUP BY l.project_id, l.company_id;
