package seed

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/investgraph/investgraph/db"
)

// Retraction withdraws one fact of the graph, sent through the API: the
// fact, why, optionally the paragraph that shows it wrong, an optional key
// that makes sending it again a no-op, and the name of the token that sent
// it.
type Retraction struct {
	Fact   db.FactRef
	Reason string
	// Source and Paragraph cite the paragraph, when Source is not "".
	Source         string
	Paragraph      int
	IdempotencyKey string
	Author         string
}

// Retract records a retraction as a revision (db.Store.Revise) and
// rebuilds the graph with it, as Apply does with a changeset: the fact
// stays, marked as retracted, and reads leave it out unless asked for it.
// A fact the graph does not hold is ENOTFOUND; a fact already retracted, an
// empty reason or a citation of a paragraph its source does not have is
// EINVALID, with the input's field. Nothing is written on any error.
func Retract(ctx context.Context, s *db.Store, base fs.FS, r Retraction) (rev *db.Revision, replayed bool, err error) {
	switch {
	case strings.TrimSpace(r.Reason) == "":
		return nil, false, &db.Error{Code: db.EINVALID, Field: "input.reason",
			Message: "reason is required: say in a line why the fact is wrong, e.g. \"the article gives 1.5 million tonnes, not 15\""}
	case len(r.IdempotencyKey) > maxKeyLength:
		return nil, false, &db.Error{Code: db.EINVALID, Field: "input.idempotencyKey",
			Message: fmt.Sprintf("idempotencyKey has %d bytes, more than %d: use a UUID or a hash", len(r.IdempotencyKey), maxKeyLength)}
	}
	body := db.RetractionBody{Type: r.Fact.Type, Key: r.Fact.Key, Reason: strings.TrimSpace(r.Reason), Source: r.Source, Paragraph: r.Paragraph}
	docs, err := readDocuments(base)
	if err != nil {
		return nil, false, err
	}
	return s.Revise(ctx, db.ChangeRequest{
		Kind: db.RevisionRetraction, Author: r.Author, Message: body.Reason, IdempotencyKey: r.IdempotencyKey, Body: body.Text(),
		Build: func(prior []db.LoggedRevision, next int64) (*db.Change, error) {
			log, err := readLog(docs, prior)
			if err != nil {
				return nil, err
			}
			d, err := log.build()
			if err != nil {
				return nil, err
			}
			for _, was := range log.retractions {
				if was.body.Type == body.Type && was.body.Key == body.Key {
					return nil, &db.Error{Code: db.EINVALID, Field: "input.fact", Message: fmt.Sprintf(
						"the %s was retracted by revision %d already: a fact is retracted once", body.Type, was.id)}
				}
			}
			ret, err := retraction(d, next, body, "input.citation")
			if err != nil {
				return nil, err
			}
			d.Retractions = append(d.Retractions, ret)
			rev := db.Revision{Changed: 1, SourceSlug: body.Source}
			if body.Source != "" {
				rev.Touched = []db.SlugRef{{Type: "Source", Slug: body.Source}}
			}
			return &db.Change{Dataset: d, Revision: rev}, nil
		},
	})
}

// revisionLog is the revision log replayed over the seed: the documents of the
// seed and of every changeset in order, and the retractions.
type revisionLog struct {
	docs        []Document
	retractions []loggedRetraction
}

type loggedRetraction struct {
	id   int64
	body db.RetractionBody
}

// readLog reads the revisions prior after the seed documents base.
func readLog(base []Document, prior []db.LoggedRevision) (*revisionLog, error) {
	l := &revisionLog{docs: append([]Document(nil), base...)}
	changesets := 0
	for _, rev := range prior {
		switch rev.Kind {
		case db.RevisionRetraction:
			b, err := db.ParseRetractionBody(rev.Body)
			if err != nil {
				return nil, fmt.Errorf("revision %d: %w", rev.ID, err)
			}
			l.retractions = append(l.retractions, loggedRetraction{id: rev.ID, body: b})
		default:
			changesets++
			l.docs = append(l.docs, Document{Name: fmt.Sprintf("changeset %d", changesets), Text: []byte(rev.Body)})
		}
	}
	return l, nil
}

// BuildLog is the graph a database holds after the revisions log, applied
// over the seed documents base: Build of base and the log's changesets,
// with the log's retractions. A database written revision by revision
// equals a load of it.
func BuildLog(base []Document, log []db.LoggedRevision) (*db.Dataset, error) {
	l, err := readLog(base, log)
	if err != nil {
		return nil, err
	}
	return l.build()
}

// build merges the log's documents and retracts its facts.
func (l *revisionLog) build() (*db.Dataset, error) {
	d, err := buildCopy(l.docs)
	if err != nil {
		return nil, db.Errorf(db.ECONFLICT, "the seed and the revisions already made no longer merge, so no revision can be made: %v", err)
	}
	return d, l.retract(d)
}

// retract adds the log's retractions to d. Facts are never removed by a
// later changeset, so each retraction finds the fact it named.
func (l *revisionLog) retract(d *db.Dataset) error {
	for _, r := range l.retractions {
		ret, err := retraction(d, r.id, r.body, fmt.Sprintf("revision %d citation", r.id))
		if err != nil {
			return db.Errorf(db.ECONFLICT, "the revisions already made no longer replay, so no revision can be made: %v", err)
		}
		d.Retractions = append(d.Retractions, ret)
	}
	return nil
}

// retraction makes b, recorded by revision id, a retraction of d, checking
// its citation as the seed checks citations; field names the citation in
// errors.
func retraction(d *db.Dataset, id int64, b db.RetractionBody, field string) (db.Retraction, error) {
	r := db.Retraction{Fact: db.FactRef{Type: b.Type, Key: b.Key}, RevisionID: id, Reason: b.Reason}
	if b.Type == db.FactMeetingParticipant {
		link, ok := withdrawParticipant(d, b.Key)
		if !ok {
			return r, &db.Error{Code: db.ENOTFOUND, Field: "input.fact",
				Message: "no MeetingParticipation with the id given is in the graph: pass the id field of a fact this API returned"}
		}
		r.Link = &link
	}
	if b.Source == "" {
		return r, nil
	}
	for _, src := range d.Sources {
		if src.Slug != b.Source {
			continue
		}
		if b.Paragraph < 1 || b.Paragraph > src.Paragraphs {
			return r, &db.Error{Code: db.EINVALID, Field: field + ".paragraph", Message: fmt.Sprintf(
				"paragraph %d is not in source %s, which has paragraphs 1 to %d: cite one of those", b.Paragraph, b.Source, src.Paragraphs)}
		}
		r.Citation = &db.Citation{SourceID: src.ID, Paragraph: b.Paragraph}
		return r, nil
	}
	return r, &db.Error{Code: db.EINVALID, Field: field + ".source", Message: fmt.Sprintf(
		"no source %s is in the graph: cite a source by the id this API returned for it", db.Quote(b.Source))}
}

// withdrawParticipant takes the meeting participant of the key
// ("meeting-slug|person-slug") out of d's links and returns it: the store
// keeps a retracted link with its retraction.
func withdrawParticipant(d *db.Dataset, key string) (db.Link, bool) {
	meeting, person, _ := strings.Cut(key, "|")
	var from, to int64
	for _, m := range d.Meetings {
		if m.Slug == meeting {
			from = m.ID
		}
	}
	for _, p := range d.People {
		if p.Slug == person {
			to = p.ID
		}
	}
	for i, l := range d.Links {
		if l.Kind == db.MeetingParticipant && l.From == from && l.To == to && from != 0 && to != 0 {
			d.Links = append(d.Links[:i:i], d.Links[i+1:]...)
			return l, true
		}
	}
	return db.Link{}, false
}
