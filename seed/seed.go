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
	b := newBuilder()
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var f File
		if err := yaml.UnmarshalWithOptions(data, &f, yaml.DisallowUnknownField()); err != nil {
			return nil, fmt.Errorf("seed %s: %s", name, yaml.FormatError(err, false, true))
		}
		b.addFile(path.Base(name), &f)
	}
	b.resolve()
	if len(b.errs) > 0 {
		const max = 20
		errs := b.errs
		if len(errs) > max {
			errs = append(errs[:max:max], fmt.Errorf("... and %d more problems", len(b.errs)-max))
		}
		return nil, fmt.Errorf("seed: %d problem(s):\n%w", len(b.errs), errors.Join(errs...))
	}
	return b.dataset(), nil
}

// where names the place in the seed a problem was found.
type where struct {
	file  string
	entry string
}

func (w where) errorf(format string, args ...any) error {
	return fmt.Errorf("%s: %s: %s", w.file, w.entry, fmt.Sprintf(format, args...))
}

func (w where) in(entry string, args ...any) where {
	return where{file: w.file, entry: w.entry + " " + fmt.Sprintf(entry, args...)}
}

func trimmed(s string) string { return strings.TrimSpace(s) }
