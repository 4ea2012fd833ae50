-- The first day any source reports each entity, relation and figure, derived
-- from citations when data is replaced. Reads "as of" a date keep the rows
-- reported on or before it.
ALTER TABLE companies ADD COLUMN first_reported TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN first_reported TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN first_reported TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN first_reported TEXT NOT NULL DEFAULT '';
ALTER TABLE agreements ADD COLUMN first_reported TEXT NOT NULL DEFAULT '';
ALTER TABLE positions ADD COLUMN first_reported TEXT NOT NULL DEFAULT '';
ALTER TABLE project_participants ADD COLUMN first_reported TEXT NOT NULL DEFAULT '';
ALTER TABLE measurements ADD COLUMN reported TEXT NOT NULL DEFAULT '';
ALTER TABLE milestones ADD COLUMN reported TEXT NOT NULL DEFAULT '';
ALTER TABLE amounts ADD COLUMN reported TEXT NOT NULL DEFAULT '';

CREATE INDEX companies_reported ON companies (first_reported);
CREATE INDEX projects_reported ON projects (first_reported);
CREATE INDEX projects_sector ON projects (sector, status);
CREATE INDEX companies_country ON companies (country, kind);
CREATE INDEX meetings_location ON meetings (location);
CREATE INDEX agreements_kind ON agreements (kind);

-- search is the full-text index over names, aliases, titles, descriptions
-- and topics. unicode61 folds case and strips diacritics, and splits on
-- hyphens, so "Beineu-Bozoi" and "Beineu Bozoi" index alike.
CREATE VIRTUAL TABLE search USING fts5 (
    kind UNINDEXED,
    subject_id UNINDEXED,
    reported UNINDEXED,
    name,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);
