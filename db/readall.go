package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Dataset reads the whole graph back, as Replace would write it: every
// source, object, fact, name, citation, link, topic and inferred
// attribute, each table in id order (or key order, for tables without
// ids). Topics and what statements are about keep their positions.
// Read-time fields (an agreement's ReportedOn) are left unset. It is what
// the seed export writes back as files.
func (s *Store) Dataset(ctx context.Context) (*Dataset, error) {
	d := &Dataset{}
	var err error
	read := func(what string, f func() error) {
		if err == nil {
			if e := f(); e != nil {
				err = fmt.Errorf("read %s: %w", what, e)
			}
		}
	}
	read("sources", func() (e error) {
		d.Sources, e = queryAll(ctx, s, func(r rowScanner) (*Source, error) { return scanSource(r) },
			`SELECT `+sourceColumns+` FROM sources s ORDER BY s.id`)
		return e
	})
	read("companies", func() (e error) {
		d.Companies, e = queryAll(ctx, s, func(r rowScanner) (*Company, error) { return scanCompany(r) },
			`SELECT `+companyColumns+` FROM companies x ORDER BY x.id`)
		return e
	})
	read("people", func() (e error) {
		d.People, e = queryAll(ctx, s, func(r rowScanner) (*Person, error) { return scanPerson(r) },
			`SELECT `+personColumns+` FROM people x ORDER BY x.id`)
		return e
	})
	read("projects", func() (e error) {
		d.Projects, e = queryAll(ctx, s, func(r rowScanner) (*Project, error) { return scanProject(r) },
			`SELECT `+projectColumns+` FROM projects x ORDER BY x.id`)
		return e
	})
	read("meetings", func() (e error) {
		d.Meetings, e = queryAll(ctx, s, func(r rowScanner) (*Meeting, error) { return scanMeeting(r) },
			`SELECT `+meetingColumns+` FROM meetings x ORDER BY x.id`)
		return e
	})
	read("agreements", func() (e error) {
		d.Agreements, e = queryAll(ctx, s, func(r rowScanner) (*Agreement, error) {
			a, err := scanAgreement(r)
			if a != nil {
				a.ReportedOn = nil
			}
			return a, err
		}, `SELECT `+agreementColumns+` FROM agreements x ORDER BY x.id`)
		return e
	})
	read("events", func() (e error) {
		d.Events, e = queryAll(ctx, s, func(r rowScanner) (*Event, error) { return scanEvent(r) },
			`SELECT `+eventColumns+` FROM events x ORDER BY x.id`)
		return e
	})
	read("statements", func() (e error) {
		d.Statements, e = queryAll(ctx, s, func(r rowScanner) (*Statement, error) { return scanStatement(r) },
			`SELECT `+statementColumns+` FROM statements x ORDER BY x.id`)
		return e
	})
	read("positions", func() (e error) {
		d.Positions, e = queryAll(ctx, s, func(r rowScanner) (*Position, error) {
			var key int64
			return scanPosition(r, &key)
		}, `SELECT x.id, `+positionColumns+` FROM positions x ORDER BY x.id`)
		return e
	})
	read("participants", func() (e error) {
		d.Participants, e = queryAll(ctx, s, func(r rowScanner) (*ProjectParticipant, error) {
			var key int64
			return scanParticipant(r, &key)
		}, `SELECT x.id, `+participantColumns+` FROM project_participants x ORDER BY x.id`)
		return e
	})
	read("measurements", func() (e error) {
		d.Measurements, e = queryAll(ctx, s, func(r rowScanner) (*Measurement, error) {
			var key int64
			return scanMeasurement(r, &key)
		}, `SELECT x.id, `+measurementColumns+` FROM measurements x ORDER BY x.id`)
		return e
	})
	read("milestones", func() (e error) {
		d.Milestones, e = queryAll(ctx, s, scanMilestoneRow,
			`SELECT id, project_id, name, date, status, source_id, paragraph, basis, inference_note FROM milestones ORDER BY id`)
		return e
	})
	read("amounts", func() (e error) {
		d.Amounts, e = queryAll(ctx, s, func(r rowScanner) (*Amount, error) { return scanAmount(r) },
			`SELECT `+amountColumns+` FROM amounts x ORDER BY x.id`)
		return e
	})
	read("names", func() (e error) {
		d.Names, e = queryAll(ctx, s, func(r rowScanner) (Name, error) {
			var n Name
			return n, r.Scan(&n.Subject, &n.SubjectID, &n.Name, &n.Alias)
		}, `SELECT subject, subject_id, name, alias FROM names ORDER BY subject, subject_id, alias, name`)
		return e
	})
	read("citations", func() (e error) {
		d.Citations, e = queryAll(ctx, s, func(r rowScanner) (SubjectCitation, error) {
			var c SubjectCitation
			return c, r.Scan(&c.Subject, &c.ID, &c.SourceID, &c.Paragraph)
		}, `SELECT subject, subject_id, source_id, paragraph FROM citations ORDER BY subject, subject_id, source_id, paragraph`)
		return e
	})
	for kind, table := range linkTables {
		read("links", func() error {
			links, e := readLinks(ctx, s, LinkKind(kind), table)
			d.Links = append(d.Links, links...)
			return e
		})
	}
	read("topics", func() (e error) {
		d.Topics, e = queryAll(ctx, s, func(r rowScanner) (Topic, error) {
			var t Topic
			return t, r.Scan(&t.MeetingID, &t.Topic)
		}, `SELECT meeting_id, topic FROM meeting_topics ORDER BY position`)
		return e
	})
	read("statement subjects", func() (e error) {
		d.StatementSubjects, e = queryAll(ctx, s, func(r rowScanner) (StatementSubject, error) {
			var ss StatementSubject
			return ss, r.Scan(&ss.StatementID, &ss.Subject.Type, &ss.Subject.ID)
		}, `SELECT statement_id, subject_type, subject_id FROM statement_subjects ORDER BY position`)
		return e
	})
	read("attribute inferences", func() (e error) {
		d.AttributeInferences, e = queryAll(ctx, s, func(r rowScanner) (AttributeInference, error) {
			var a AttributeInference
			return a, r.Scan(&a.Subject, &a.SubjectID, &a.Attribute, &a.Note)
		}, `SELECT subject, subject_id, attribute, note FROM attribute_inferences ORDER BY subject, subject_id, attribute`)
		return e
	})
	read("source texts", func() error { return s.readTexts(ctx, d) })
	read("retractions", func() (e error) {
		d.Retractions, e = s.readRetractions(ctx)
		return e
	})
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	return d, nil
}

func scanMilestoneRow(r rowScanner) (*Milestone, error) {
	var (
		m          Milestone
		date, note sql.NullString
		basis      string
		err        error
	)
	if err = r.Scan(&m.ID, &m.ProjectID, &m.Name, &date, &m.Status, &m.Citation.SourceID, &m.Citation.Paragraph,
		&basis, &note); err != nil {
		return nil, err
	}
	m.Basis, m.InferenceNote = scanEvidence(basis, note)
	m.Date, err = nullDate(date)
	return &m, err
}

// readLinks reads the pairs of one many-to-many table, as `name (from, to)`
// in linkTables, with their bases and, for meeting participants, roles.
func readLinks(ctx context.Context, s *Store, kind LinkKind, table string) ([]Link, error) {
	name, cols, _ := cutTable(table)
	role := `NULL`
	if kind == MeetingParticipant {
		role = `role`
	}
	return queryAll(ctx, s, func(r rowScanner) (Link, error) {
		l := Link{Kind: kind}
		var (
			basis      string
			note, role sql.NullString
		)
		if err := r.Scan(&l.From, &l.To, &basis, &note, &role); err != nil {
			return l, err
		}
		l.Basis, l.InferenceNote = scanEvidence(basis, note)
		if role.Valid {
			mr := MeetingRole(role.String)
			l.Role = &mr
		}
		return l, nil
	}, `SELECT `+cols+`, basis, inference_note, `+role+` FROM `+name+` ORDER BY `+cols)
}

// cutTable splits `name (a, b)` into its name and column list.
func cutTable(table string) (name, cols string, ok bool) {
	name, rest, ok := strings.Cut(table, " (")
	cols, _, _ = strings.Cut(rest, ")")
	return name, cols, ok
}

// readRetractions reads every retraction, in key order, with its author
// and time, and the link a retracted meeting participant was.
func (s *Store) readRetractions(ctx context.Context) ([]Retraction, error) {
	return queryAll(ctx, s, func(r rowScanner) (Retraction, error) {
		var (
			from, to          sql.NullInt64
			basis, note, role sql.NullString
		)
		ret, err := scanRetraction(moreColumns{r, []any{&from, &to, &basis, &note, &role}})
		if err != nil {
			return Retraction{}, err
		}
		if from.Valid && to.Valid {
			l := Link{Kind: MeetingParticipant, From: from.Int64, To: to.Int64}
			l.Basis, l.InferenceNote = scanEvidence(basis.String, note)
			if role.Valid {
				mr := MeetingRole(role.String)
				l.Role = &mr
			}
			ret.Link = &l
		}
		return *ret, nil
	}, `SELECT `+retractionColumns+`, r.link_from, r.link_to, r.basis, r.inference_note, r.role
		FROM `+retractionTables+` ORDER BY r.fact_type, r.fact_key`)
}

// moreColumns scans a row into the destinations given and then into
// extra: a scanner of the first columns reads a row with more.
type moreColumns struct {
	rowScanner
	extra []any
}

func (m moreColumns) Scan(dest ...any) error {
	return m.rowScanner.Scan(append(dest, m.extra...)...)
}
