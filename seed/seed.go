// Package seed holds the curated data of the investment graph, one YAML file
// per source article, and loads it into the store. See seed/README.md for
// the file format.
package seed

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/investgraph/investgraph/db"
)

//go:embed data/*.yaml
var embedded embed.FS

// Files returns the seed files built into the binary.
func Files() fs.FS {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}

// Load replaces the store's data with the built-in seed. Loading twice
// leaves the same data; a seed that fails validation changes nothing.
func Load(ctx context.Context, s *db.Store) error {
	return LoadFS(ctx, s, Files())
}

// LoadFS replaces the store's data with the seed files of fsys.
func LoadFS(ctx context.Context, s *db.Store, fsys fs.FS) error {
	d, err := Parse(fsys)
	if err != nil {
		return err
	}
	return s.Replace(ctx, d)
}

// Parse reads every .yaml file of fsys in name order, merges them and checks
// every reference, citation, date and enumeration value. The error names the
// file and entry of each problem found.
func Parse(fsys fs.FS) (*db.Dataset, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("seed: no .yaml files found")
	}
	sort.Strings(names)
	docs := make([]Document, len(names))
	for i, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		docs[i] = Document{Name: path.Base(name), Text: data}
	}
	return Build(docs)
}

// Document is the text of one seed file under its name, which problems
// are reported in.
type Document struct {
	Name string
	Text []byte
}

// Build merges documents in the order given, as Parse merges the files of
// a directory, with the same checks: it is the one validation path of seed
// files, whether read from disk or sent as a changeset. An error is a
// *ValidationError.
func Build(docs []Document) (*db.Dataset, error) {
	b := newBuilder()
	for _, doc := range docs {
		f, err := decodeFile(doc.Text)
		if err != nil {
			p := &Problem{File: doc.Name, Message: yaml.FormatError(err, false, true), syntax: true}
			return nil, &ValidationError{Problems: []*Problem{p}}
		}
		b.addFile(doc.Name, f)
	}
	b.resolve()
	var d *db.Dataset
	if len(b.errs) == 0 {
		d = b.dataset()
		b.retract(d)
	}
	if len(b.errs) > 0 {
		v := &ValidationError{}
		for _, err := range b.errs {
			var p *Problem
			if !errors.As(err, &p) {
				p = &Problem{Message: err.Error()}
			}
			v.Problems = append(v.Problems, p)
		}
		return nil, v
	}
	return d, nil
}

// ValidationError lists every problem Build found.
type ValidationError struct {
	Problems []*Problem
}

// maxListed is how many problems a ValidationError's message lists.
const maxListed = 20

func (v *ValidationError) Error() string {
	if len(v.Problems) == 1 && v.Problems[0].syntax {
		return v.Problems[0].Error()
	}
	errs := make([]error, 0, maxListed+1)
	for i, p := range v.Problems {
		if i == maxListed {
			errs = append(errs, fmt.Errorf("... and %d more problems", len(v.Problems)-maxListed))
			break
		}
		errs = append(errs, p)
	}
	return fmt.Sprintf("seed: %d problem(s):\n%s", len(v.Problems), errors.Join(errs...))
}

// Problem is one thing wrong with a seed document: the document, the entry
// (such as "projects[2] caspi-bitum participants[0]") and what is wrong.
type Problem struct {
	File    string
	Entry   string
	Message string
	// Key is the key of the map (inferred, roles) the problem is about,
	// for Path.
	Key    string
	syntax bool // the document is not YAML of the seed format
}

func (p *Problem) Error() string {
	switch {
	case p.syntax:
		return "seed " + p.File + ": " + p.Message
	case p.File == "":
		return p.Message
	}
	return p.File + ": " + p.Entry + ": " + p.Message
}

// Path is where in its document the problem is, as a path of YAML keys and
// list indexes such as "projects[2].participants[0].company": the entry's
// position, and the field the message is about when it names one, with the
// key of a map ("meetings[0].inferred.participants/zhu-hexin"). It is
// "" for a document that is not YAML of the seed format.
func (p *Problem) Path() string {
	if p.syntax {
		return ""
	}
	var parts []string
	for _, tok := range strings.Fields(p.Entry) {
		if strings.Contains(tok, "[") || tok == "source" {
			parts = append(parts, tok)
		}
	}
	if f := problemField(p.Message); f != "" {
		parts = append(parts, f)
		if p.Key != "" {
			parts = append(parts, p.Key)
		}
	}
	return strings.Join(parts, ".")
}

// missingField matches the message of an entity no document gives a
// required field.
var missingField = regexp.MustCompile(`has no (\w+) in any file`)

// problemField is the field of the entry a message is about: the key it
// starts with ("role: ...", "cite 14 is not ...", "name \"X\" conflicts
// ..."), or the missing field of "... has no kind in any file".
func problemField(msg string) string {
	if m := missingField.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	first, _, _ := strings.Cut(msg, " ")
	first = strings.TrimSuffix(first, ":")
	if formatKeys[first] {
		return first
	}
	return ""
}

// formatKeys are the YAML keys of the seed format (File and what it holds).
var formatKeys = func() map[string]bool {
	keys, seen := map[string]bool{}, map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			f := t.Field(i)
			if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); name != "" {
				keys[name] = true
				walk(f.Type)
			}
		}
	}
	walk(reflect.TypeFor[File]())
	return keys
}()

// where names the place in the seed a problem was found.
type where struct {
	file  string
	entry string
}

func (w where) errorf(format string, args ...any) error {
	return &Problem{File: w.file, Entry: w.entry, Message: fmt.Sprintf(format, args...)}
}

// keyErrorf is errorf for a problem with the entry of key in a map.
func (w where) keyErrorf(key, format string, args ...any) error {
	return &Problem{File: w.file, Entry: w.entry, Key: key, Message: fmt.Sprintf(format, args...)}
}

func (w where) in(entry string, args ...any) where {
	return where{file: w.file, entry: w.entry + " " + fmt.Sprintf(entry, args...)}
}

func trimmed(s string) string { return strings.TrimSpace(s) }
