package seed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/investgraph/investgraph/db"
)

// Changeset is one seed document sent through the API, with the name of
// the token that sent it, why, and an optional key that makes sending it
// again a no-op. The document is either YAML text or, for the structured
// form of the mutation, a File; Apply writes a File as YAML (MarshalFile)
// and loads that text, so both forms go through one loader, and the text
// is what the revision stores and an idempotency key is compared with.
type Changeset struct {
	YAML           string
	File           *File
	Message        string
	IdempotencyKey string
	Author         string
	// Structured says that YAML was written from the structured form
	// (Written), so that its problems are reported under input.changeset.
	Structured bool
}

// Written returns the changeset with its File written as YAML text
// (MarshalFile) and Structured set, which is the form Apply loads and the
// form that crosses to a writer process: the text alone is sent, and its
// problems are still reported where the structured input had them.
func (c Changeset) Written() (Changeset, error) {
	if c.File == nil {
		return c, nil
	}
	if c.YAML != "" {
		return c, &db.Error{Code: db.EINVALID, Field: fileField,
			Message: "changeset and yaml are two forms of one seed file: give one of them, not both"}
	}
	text, err := MarshalFile(c.File)
	if err != nil {
		return c, err
	}
	c.YAML, c.File, c.Structured = text, nil, true
	return c, nil
}

// inputName is the document name a changeset's problems are found under.
const inputName = "input.yaml"

// Where a changeset's problems are reported in the mutation's input: under
// input.yaml for the text, input.changeset for the structured form.
const (
	yamlField = "input.yaml"
	fileField = "input.changeset"
)

// maxKeyLength bounds an idempotency key: a UUID or a hash fits.
const maxKeyLength = 200

// Apply merges a changeset into the graph the store holds, which was
// loaded from the seed files of base followed by the changesets before it:
// the graph becomes what Build makes of base, those changesets and this
// one, in one transaction (db.Store.Revise), so that entities merge by slug
// across changesets exactly as across seed files, and a changeset that
// would not load as a seed file changes nothing. Each problem is an EINVALID
// *db.Error whose Field is its place in the input, such as
// "input.yaml.projects[2].participants[0].company"; the error joins them.
// replayed reports a resubmission of an idempotency key's changeset, which
// returns the revision it made.
func Apply(ctx context.Context, s *db.Store, base fs.FS, c Changeset) (rev *db.Revision, replayed bool, err error) {
	if c, err = c.Written(); err != nil {
		return nil, false, err
	}
	field := yamlField
	if c.Structured {
		field = fileField
	}
	switch {
	case strings.TrimSpace(c.YAML) == "":
		return nil, false, &db.Error{Code: db.EINVALID, Field: yamlField,
			Message: "yaml or changeset is required: give one seed file (see seed/README.md), with its source and what the source reports, as YAML text or as input objects"}
	case strings.TrimSpace(c.Message) == "":
		return nil, false, &db.Error{Code: db.EINVALID, Field: "input.message",
			Message: "message is required: say in a line what the changeset adds, e.g. \"add the 2024 refinery report\""}
	case len(c.IdempotencyKey) > maxKeyLength:
		return nil, false, &db.Error{Code: db.EINVALID, Field: "input.idempotencyKey",
			Message: fmt.Sprintf("idempotencyKey has %d bytes, more than %d: use a UUID or a hash", len(c.IdempotencyKey), maxKeyLength)}
	}
	// A retraction through a changeset would be recorded as the file says,
	// not as the token that sent it: retractions have a mutation of their
	// own. A file that does not decode is reported by Build.
	if f, err := decodeFile([]byte(c.YAML)); err == nil && len(f.Retractions) > 0 {
		return nil, false, &db.Error{Code: db.EINVALID, Field: field + ".retractions",
			Message: "a changeset cannot retract facts: send each retraction with the retract mutation, which records who made it"}
	}
	docs, err := readDocuments(base)
	if err != nil {
		return nil, false, err
	}
	return s.Revise(ctx, db.ChangeRequest{
		Author: c.Author, Message: strings.TrimSpace(c.Message), IdempotencyKey: c.IdempotencyKey, Body: c.YAML,
		Build: func(prior []db.LoggedRevision, _ int64) (*db.Change, error) {
			log, err := readLog(docs, prior)
			if err != nil {
				return nil, err
			}
			before, err := log.build()
			if err != nil {
				return nil, err
			}
			log.docs = append(log.docs, Document{Name: inputName, Text: []byte(c.YAML)})
			after, err := buildCopy(log.docs)
			if err != nil {
				return nil, inputErrors(err, field)
			}
			if err := log.retract(after); err != nil {
				return nil, err
			}
			r := reachOf(before, after)
			rev := differenceOf(before, after, fingerprints(before, r), fingerprints(after, r))
			rev.Changes = nodeChangesOf(describe(before, r), describe(after, r))
			rev.Touched = touchedBy(rev.Touched, rev.Changes)
			return &db.Change{Dataset: after, Revision: rev}, nil
		},
	})
}

// DatasetAt builds the graph as it stood after the revision with the id
// rev, over the seed files of base: the seed with the revisions up to rev
// replayed in order (readLog, as Apply and Retract replay them), changesets
// merged and retractions marked. Revision 0 is the seed alone.
func DatasetAt(ctx context.Context, s *db.Store, base fs.FS, rev int64) (*db.Dataset, error) {
	docs, err := readDocuments(base)
	if err != nil {
		return nil, err
	}
	prior, err := s.RevisionLog(ctx, rev)
	if err != nil {
		return nil, err
	}
	log, err := readLog(docs, prior)
	if err != nil {
		return nil, err
	}
	return log.build()
}

// readDocuments reads the .yaml files of fsys in name order.
func readDocuments(fsys fs.FS) ([]Document, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	docs := make([]Document, 0, len(names))
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		docs = append(docs, Document{Name: name, Text: data})
	}
	return docs, nil
}

// inputErrors turns Build's problems into EINVALID errors at their place in
// the changeset's input, under field.
func inputErrors(err error, field string) error {
	var v *ValidationError
	if !errors.As(err, &v) {
		return err
	}
	errs := make([]error, 0, len(v.Problems))
	for _, p := range v.Problems {
		at, msg := field, p.Error()
		if p.File == inputName {
			if path := p.Path(); path != "" {
				at += "." + path
			}
			if msg = p.Message; p.Entry != "" {
				msg = p.Entry + ": " + p.Message
			}
		}
		errs = append(errs, &db.Error{Code: db.EINVALID, Field: at, Message: msg})
	}
	return errors.Join(errs...)
}

// difference is what after adds to and changes in before: the objects it
// adds and the facts (positions, participants, figures, milestones,
// amounts, links, topics) it adds count as added, the objects and facts
// whose fields, names or citations differ as changed. Ids stay those of
// before, as a changeset's document is merged after the others.
func difference(before, after *db.Dataset) db.Revision {
	return differenceOf(before, after, fingerprints(before, nil), fingerprints(after, nil))
}

// differenceOf is difference with the fingerprints b of before and a of
// after.
func differenceOf(before, after *db.Dataset, b, a datasetPrints) db.Revision {
	var r db.Revision
	if n := len(after.Sources); n > len(before.Sources) {
		r.SourceSlug = after.Sources[n-1].Slug
		r.Touched = append(r.Touched, db.SlugRef{Type: "Source", Slug: r.SourceSlug})
		r.Added++
	}
	for _, ref := range a.order {
		old, ok := b.prints[ref]
		switch {
		case !ok:
			r.Added++
		case old != a.prints[ref]:
			r.Changed++
		default:
			continue
		}
		r.Touched = append(r.Touched, ref)
	}
	for key, p := range a.facts {
		if old, ok := b.facts[key]; ok && old != p {
			r.Changed++
		}
	}
	r.Added += factCount(after) - factCount(before)
	return r
}

func factCount(d *db.Dataset) int {
	return len(d.Positions) + len(d.Participants) + len(d.Measurements) + len(d.Milestones) +
		len(d.Amounts) + len(d.Links) + len(d.Topics)
}

// datasetPrints holds a fingerprint of every object of a dataset, by slug,
// and of the citation lists of its positions and participants, by id, or
// of those reach holds (see reachOf) and the facts they own.
type datasetPrints struct {
	order  []db.SlugRef
	prints map[db.SlugRef]string
	facts  map[db.SubjectKey]string
}

func fingerprints(d *db.Dataset, r reach) datasetPrints {
	// A fact (position, participant) is held with its owners.
	facts := reach{}
	if r != nil {
		for _, x := range d.Positions {
			if r.hasAny(objectRef{db.SubjectPerson, &x.PersonID}, objectRef{db.SubjectCompany, &x.OrganizationID}) {
				facts.add(db.SubjectPosition, &x.ID)
			}
		}
		for _, x := range d.Participants {
			if r.hasAny(objectRef{db.SubjectProject, &x.ProjectID}, objectRef{db.SubjectCompany, &x.CompanyID}) {
				facts.add(db.SubjectParticipant, &x.ID)
			}
		}
	}
	held := func(k db.SubjectKey) bool {
		return r == nil || r[k] || facts[k]
	}
	lists := map[db.SubjectKey][]string{}
	for _, n := range d.Names {
		k := db.SubjectKey{Subject: n.Subject, ID: n.SubjectID}
		if held(k) {
			lists[k] = append(lists[k], fmt.Sprintf("name %s %v", n.Name, n.Alias))
		}
	}
	for _, c := range d.Citations {
		if held(c.SubjectKey) {
			lists[c.SubjectKey] = append(lists[c.SubjectKey], fmt.Sprintf("cite %d %d", c.SourceID, c.Paragraph))
		}
	}
	p := datasetPrints{prints: map[db.SlugRef]string{}, facts: map[db.SubjectKey]string{}}
	add := func(typ string, subject db.Subject, id int64, slug string, row any) {
		if !r.has(subject, id) {
			return
		}
		b, _ := json.Marshal(row)
		ref := db.SlugRef{Type: typ, Slug: slug}
		p.order = append(p.order, ref)
		p.prints[ref] = string(b) + strings.Join(lists[db.SubjectKey{Subject: subject, ID: id}], ";")
	}
	for _, c := range d.Companies {
		add("Company", db.SubjectCompany, c.ID, c.Slug, c)
	}
	for _, x := range d.People {
		add("Person", db.SubjectPerson, x.ID, x.Slug, x)
	}
	for _, x := range d.Projects {
		add("Project", db.SubjectProject, x.ID, x.Slug, x)
	}
	for _, x := range d.Meetings {
		add("Meeting", db.SubjectMeeting, x.ID, x.Slug, x)
	}
	for _, x := range d.Agreements {
		add("Agreement", db.SubjectAgreement, x.ID, x.Slug, x)
	}
	for _, x := range d.Positions {
		if k := (db.SubjectKey{Subject: db.SubjectPosition, ID: x.ID}); held(k) {
			p.facts[k] = strings.Join(lists[k], ";")
		}
	}
	for _, x := range d.Participants {
		if k := (db.SubjectKey{Subject: db.SubjectParticipant, ID: x.ID}); held(k) {
			p.facts[k] = strings.Join(lists[k], ";")
		}
	}
	return p
}
