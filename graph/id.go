package graph

import (
	"context"
	"encoding/base64"
	"strings"

	"github.com/investgraph/investgraph/db"
)

// Type names that global IDs carry.
const (
	typeCompany   = "Company"
	typePerson    = "Person"
	typeProject   = "Project"
	typeMeeting   = "Meeting"
	typeAgreement = "Agreement"
	typeSource    = "Source"
)

// GlobalID encodes a type name and slug as an opaque ID. Slugs never change,
// so IDs are stable across restarts and reseeds.
func GlobalID(typ, slug string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + slug))
}

// ParseGlobalID decodes an ID made by GlobalID.
func ParseGlobalID(id string) (typ, slug string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err == nil {
		var ok bool
		if typ, slug, ok = strings.Cut(string(b), ":"); ok && typ != "" && slug != "" {
			return typ, slug, nil
		}
	}
	return "", "", db.Errorf(db.EINVALID, "invalid id %s: pass an id returned by this API", db.Quote(id))
}

// slugFromID decodes id and checks it names an object of type want.
func slugFromID(id, want string) (string, error) {
	typ, slug, err := ParseGlobalID(id)
	if err != nil {
		return "", err
	}
	if typ != want {
		return "", db.Errorf(db.EINVALID, "id %s is a %s id, not a %s id", db.Quote(id), typ, want)
	}
	return slug, nil
}

// orNil turns a not-found error into a null result, as lookups promise.
func orNil[T any](v *T, err error) (*T, error) {
	if db.ErrorCode(err) == db.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return v, nil
}

// findOne resolves a root lookup that takes exactly one of id, slug and name
// (name only where byName is given).
func findOne[T any](ctx context.Context, typ string, id, slug, name *string,
	bySlug, byName func(context.Context, string) (*T, error)) (*T, error) {
	given := 0
	for _, p := range []*string{id, slug, name} {
		if p != nil {
			given++
		}
	}
	args := "id or slug"
	if byName != nil {
		args = "id, slug or name"
	}
	if given != 1 {
		return nil, db.Errorf(db.EINVALID, "give exactly one of %s", args)
	}
	switch {
	case id != nil:
		s, err := slugFromID(*id, typ)
		if err != nil {
			return nil, err
		}
		return orNil(bySlug(ctx, s))
	case slug != nil:
		return orNil(bySlug(ctx, *slug))
	default:
		return orNil(byName(ctx, *name))
	}
}
