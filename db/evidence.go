package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// Basis says whether a fact is stated in the paragraph it cites or inferred
// from it by a curator.
type Basis string

// The bases of a fact.
const (
	Stated   Basis = "STATED"
	Inferred Basis = "INFERRED"
)

// Bases lists the values of Basis in the order the schema lists them.
var Bases = []Basis{Stated, Inferred}

// basisOr returns b, or STATED when b is empty: a fact curated without a
// basis is one its paragraph states.
func basisOr(b Basis) string {
	if b == "" {
		return string(Stated)
	}
	return string(b)
}

// KeepBasis reports whether a fact of basis b passes a basis filter: every
// fact passes an empty one.
func KeepBasis(bases []Basis, b Basis) bool {
	return len(bases) == 0 || slices.Contains(bases, b)
}

// ActorRef points at the person or organization a fact is attributed to
// ("according to", "said"): Type is Person or Company.
type ActorRef = NodeRef

// AttributeInference marks an attribute of an object as inferred, with the
// note saying from what. Attributes not marked are stated.
type AttributeInference struct {
	Subject   Subject
	SubjectID int64
	Attribute string // the schema's field name: kind, country, region, parent, partOf, ...
	Note      string
}

// FindAttributeInferences returns the inferred attributes of the given
// objects, keyed by object.
func (s *Store) FindAttributeInferences(ctx context.Context, keys []SubjectKey) (map[SubjectKey][]AttributeInference, error) {
	bySubject := map[Subject][]int64{}
	for _, k := range keys {
		bySubject[k.Subject] = append(bySubject[k.Subject], k.ID)
	}
	out := map[SubjectKey][]AttributeInference{}
	for subject, ids := range bySubject {
		list, err := queryAll(ctx, s, func(r rowScanner) (AttributeInference, error) {
			a := AttributeInference{Subject: subject}
			return a, r.Scan(&a.SubjectID, &a.Attribute, &a.Note)
		}, `SELECT subject_id, attribute, note FROM attribute_inferences
			WHERE subject = ? AND subject_id IN (SELECT value FROM json_each(?)) ORDER BY subject_id, attribute`, string(subject), idList(ids))
		if err != nil {
			return nil, fmt.Errorf("find attribute inferences: %w", err)
		}
		for _, a := range list {
			k := SubjectKey{Subject: subject, ID: a.SubjectID}
			out[k] = append(out[k], a)
		}
	}
	return out, nil
}

// LinkKey names the links of one kind from one object.
type LinkKey struct {
	Kind LinkKind
	From int64
}

// LinkEvidence is the basis of one link, to the object To.
type LinkEvidence struct {
	To            int64
	Basis         Basis
	InferenceNote *string
	Role          *string // a meeting participant's role, where stated
}

// FindLinkEvidence returns the basis of every link from the given objects,
// keyed by kind and object, whatever is visible: callers keep the ends
// they can see.
func (s *Store) FindLinkEvidence(ctx context.Context, keys []LinkKey) (map[LinkKey][]LinkEvidence, error) {
	byKind := map[LinkKind][]int64{}
	for _, k := range keys {
		byKind[k.Kind] = append(byKind[k.Kind], k.From)
	}
	out := map[LinkKey][]LinkEvidence{}
	for kind, from := range byKind {
		table, fromCol, toCol := linkColumns(kind)
		role := `NULL`
		if kind == MeetingParticipant {
			role = `role`
		}
		rows, err := s.query(ctx, `SELECT `+fromCol+`, `+toCol+`, basis, inference_note, `+role+` FROM `+table+`
			WHERE `+fromCol+` IN (SELECT value FROM json_each(?)) ORDER BY `+fromCol+`, `+toCol, idList(from))
		if err != nil {
			return nil, fmt.Errorf("find link evidence: %w", err)
		}
		for rows.Next() {
			var (
				k          = LinkKey{Kind: kind}
				e          LinkEvidence
				note, rl   sql.NullString
				scanFailed error
			)
			if scanFailed = rows.Scan(&k.From, &e.To, &e.Basis, &note, &rl); scanFailed != nil {
				rows.Close()
				return nil, fmt.Errorf("find link evidence: %w", scanFailed)
			}
			e.InferenceNote, e.Role = nullString(note), nullString(rl)
			out[k] = append(out[k], e)
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, fmt.Errorf("find link evidence: %w", err)
		}
		rows.Close()
	}
	return out, nil
}

// linkColumns returns the table of a link kind and its two columns.
func linkColumns(kind LinkKind) (table, from, to string) {
	table, columns, _ := strings.Cut(strings.TrimSuffix(linkTables[kind], ")"), " (")
	from, to, _ = strings.Cut(columns, ", ")
	return table, from, to
}

// scanEvidence turns the basis and note columns into a fact's fields.
func scanEvidence(basis string, note sql.NullString) (Basis, *string) {
	return Basis(basisOr(Basis(basis))), nullString(note)
}

// actorRef turns the attributed_type and attributed_id columns into an
// ActorRef, nil when the fact is attributed to no one.
func actorRef(typ sql.NullString, id sql.NullInt64) *ActorRef {
	if !typ.Valid || !id.Valid {
		return nil
	}
	return &ActorRef{Type: typ.String, ID: id.Int64}
}

// actorColumns returns the attributed_type and attributed_id values of a.
func actorColumns(a *ActorRef) (any, any) {
	if a == nil {
		return nil, nil
	}
	return a.Type, a.ID
}

// AttributeEvidence is the basis of one attribute of an object.
type AttributeEvidence struct {
	Attribute     string
	Basis         Basis
	InferenceNote *string
}

// MeetingParticipation is one person's taking part in a meeting.
type MeetingParticipation struct {
	MeetingID     int64
	PersonID      int64
	Role          *MeetingRole
	Basis         Basis
	InferenceNote *string
}

// FindAgreementParts returns the agreements that are part of the given
// packages, keyed by package id.
func (s *Store) FindAgreementParts(ctx context.Context, ids []int64) (map[int64][]*Agreement, error) {
	out, err := queryGrouped(ctx, s, scanAgreementKeyed, `
		SELECT x.part_of_id, `+agreementColumns+` FROM agreements x
		WHERE x.part_of_id IN (SELECT value FROM json_each(?)) AND x.first_reported <= ?
		ORDER BY `+agreementOrder+`, x.slug`, idList(ids), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find agreement parts: %w", err)
	}
	return out, nil
}

// FindMeasurementsByCounterpartyIDs returns the two-sided figures whose
// other side is one of the given companies, keyed by it, in date order. A
// figure shows once its counterparty is visible too.
func (s *Store) FindMeasurementsByCounterpartyIDs(ctx context.Context, ids []int64) (map[int64][]*Measurement, error) {
	out, err := queryGrouped(ctx, s, scanMeasurement, `
		SELECT x.counterparty_id, `+measurementColumns+` FROM measurements x JOIN companies c ON c.id = x.counterparty_id
		WHERE x.counterparty_id IN (SELECT value FROM json_each(?)) AND `+visibleDay(ctx, "x.reported")+` <= ?2 AND c.first_reported <= ?2
		ORDER BY `+measurementOrder, idList(ids), cutoff(ctx))
	if err != nil {
		return nil, fmt.Errorf("find measurements by counterparty: %w", err)
	}
	return out, nil
}

// attrBasis keeps the rows whose attribute attr is of one of bases: an
// attribute is inferred when attribute_inferences lists it.
func (q *pageQuery) attrBasis(subject Subject, attr string, bases []Basis) {
	if len(bases) == 0 {
		return
	}
	q.where = append(q.where, `CASE WHEN EXISTS (SELECT 1 FROM attribute_inferences
		WHERE subject = ? AND subject_id = x.id AND attribute = ?) THEN 'INFERRED' ELSE 'STATED' END IN (SELECT value FROM json_each(?))`)
	q.args = append(q.args, string(subject), attr, jsonString(bases))
}

// linkBasis keeps the rows with a link of one of bases: cond selects the
// rows' ids from a link table, its ? parameters args, and its basis column
// is compared after them.
func (q *pageQuery) linkBasis(cond string, bases []Basis, args ...any) {
	if len(bases) == 0 {
		return
	}
	q.where = append(q.where, strings.TrimSuffix(cond, ")")+` AND basis IN (SELECT value FROM json_each(?)))`)
	q.args = append(append(q.args, args...), jsonString(bases))
}
