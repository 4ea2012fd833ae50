-- What each revision changed in each object it touched, so that an
-- object's history can say "this revision added the 2024 capacity figure
-- and changed the description". added and changed are JSON arrays of the
-- object's field names, each with the item for list fields, such as
-- ["description", "figures: CAPACITY 2024 ACTUAL 1.5 Mt"].
CREATE TABLE revision_changes (
    revision_id INTEGER NOT NULL,
    node_type   TEXT NOT NULL,
    node_slug   TEXT NOT NULL,
    added       TEXT NOT NULL DEFAULT '[]',
    changed     TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (node_type, node_slug, revision_id)
) STRICT;

-- Revisions stored before this migration recorded only the objects they
-- touched ("Type:slug"): each keeps them, with no field names.
INSERT OR IGNORE INTO revision_changes (revision_id, node_type, node_slug)
SELECT r.id, substr(t.value, 1, instr(t.value, ':') - 1), substr(t.value, instr(t.value, ':') + 1)
FROM revisions r, json_each(r.touched) t
WHERE instr(t.value, ':') > 1;
