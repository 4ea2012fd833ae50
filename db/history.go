package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// NodeChange is what one revision changed in one object of the graph: the
// fields it gave for the first time and the facts it added (Added), and
// the fields and facts whose values, names or citations it changed
// (Changed). Each entry is a field's name as the schema has it, with the
// item for list fields ("figures: CAPACITY 2024 ACTUAL 1.5 Mt"). Revisions
// stored before these were recorded name the object with both lists empty.
type NodeChange struct {
	Node       SlugRef
	RevisionID int64
	Added      []string
	Changed    []string
}

// insertChanges records what revision id changed in each object.
func insertChanges(ctx context.Context, tx *sql.Tx, id int64, changes []NodeChange) error {
	st, err := tx.PrepareContext(ctx, `INSERT INTO revision_changes (revision_id, node_type, node_slug, added, changed)
		VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, c := range changes {
		added, err := json.Marshal(nonNil(c.Added))
		if err != nil {
			return err
		}
		changed, err := json.Marshal(nonNil(c.Changed))
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(ctx, id, c.Node.Type, c.Node.Slug, string(added), string(changed)); err != nil {
			return err
		}
	}
	return nil
}

// changesOf is what revision r changed in each object it touched: its
// Changes, and for an object they do not name (the owners of a retracted
// fact) the retraction, or nothing.
func changesOf(r Revision, body string) []NodeChange {
	changes := r.Changes
	for _, ref := range nodeRefStrings(r.Touched) {
		typ, slug, _ := strings.Cut(ref, ":")
		node := SlugRef{Type: typ, Slug: slug}
		if slices.ContainsFunc(changes, func(c NodeChange) bool { return c.Node == node }) {
			continue
		}
		c := NodeChange{Node: node}
		if r.Kind == RevisionRetraction {
			if b, err := ParseRetractionBody(body); err == nil {
				c.Changed = []string{"retracted: " + string(b.Type) + " " + b.Key}
			}
		}
		changes = append(changes, c)
	}
	return changes
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// FindNodeHistories returns, for each object of refs, what each revision
// that touched it changed in it, oldest first; an object no revision
// touched has none.
func (s *Store) FindNodeHistories(ctx context.Context, refs []SlugRef) (map[SlugRef][]*NodeChange, error) {
	keys := make([][2]string, len(refs))
	for i, r := range refs {
		keys[i] = [2]string{r.Type, r.Slug}
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	changes, err := queryAll(ctx, s, func(r rowScanner) (*NodeChange, error) {
		var (
			c              = &NodeChange{}
			added, changed string
		)
		if err := r.Scan(&c.Node.Type, &c.Node.Slug, &c.RevisionID, &added, &changed); err != nil {
			return c, err
		}
		if err := json.Unmarshal([]byte(added), &c.Added); err != nil {
			return c, fmt.Errorf("revision %d: added: %w", c.RevisionID, err)
		}
		if err := json.Unmarshal([]byte(changed), &c.Changed); err != nil {
			return c, fmt.Errorf("revision %d: changed: %w", c.RevisionID, err)
		}
		return c, nil
	}, `SELECT c.node_type, c.node_slug, c.revision_id, c.added, c.changed
		FROM json_each(?) k
		JOIN revision_changes c ON c.node_type = k.value ->> '$[0]' AND c.node_slug = k.value ->> '$[1]'
		ORDER BY c.revision_id, c.node_type, c.node_slug`, string(list))
	if err != nil {
		return nil, fmt.Errorf("find node histories: %w", err)
	}
	out := make(map[SlugRef][]*NodeChange, len(refs))
	for _, c := range changes {
		out[c.Node] = append(out[c.Node], c)
	}
	return out, nil
}

// RevisionLog returns the revisions up to the id upTo, oldest first, as a
// ChangeRequest's Build replays them: with the seed files, what the graph
// after that revision is built from.
func (s *Store) RevisionLog(ctx context.Context, upTo int64) ([]LoggedRevision, error) {
	log, err := queryAll(ctx, s, func(r rowScanner) (LoggedRevision, error) {
		var l LoggedRevision
		var kind string
		err := r.Scan(&l.ID, &kind, &l.Body)
		l.Kind = RevisionKind(kind)
		return l, err
	}, `SELECT id, kind, body FROM revisions WHERE id <= ? ORDER BY id`, upTo)
	if err != nil {
		return nil, fmt.Errorf("revision log: %w", err)
	}
	return log, nil
}

// FindRevisionsByIDs returns the revisions of ids, by id.
func (s *Store) FindRevisionsByIDs(ctx context.Context, ids []int64) (map[int64]*Revision, error) {
	list, err := queryAll(ctx, s, func(r rowScanner) (*Revision, error) { return scanRevision(r) },
		`SELECT `+revisionColumns+` FROM revisions WHERE id IN (SELECT value FROM json_each(?))`, idList(ids))
	if err != nil {
		return nil, fmt.Errorf("find revisions by ids: %w", err)
	}
	return byID(list, func(v *Revision) int64 { return v.ID }), nil
}
