package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// maxAPQBytes is the longest query Automatic Persisted Queries store:
// longer ones still run, they are just sent in full each time. It bounds the
// cache's memory to its entry count times this.
const maxAPQBytes = 64 << 10

// persistedQueries resolves a request's persisted query to its text and, in
// allow-list mode, refuses any other. Clients name a persisted query by
// Apollo's extensions.persistedQuery.sha256Hash (Automatic Persisted
// Queries) or by the documentId parameter (an id of the operations file, or
// "sha256:<hash>").
type persistedQueries struct {
	ops       *PersistedOperations  // nil when no file is loaded
	apq       graphql.Cache[string] // nil when APQ is off
	allowList bool
}

var _ interface {
	graphql.OperationParameterMutator
	graphql.HandlerExtension
} = persistedQueries{}

// ExtensionName names the extension for gqlgen.
func (persistedQueries) ExtensionName() string { return "PersistedQueries" }

// Validate is called once when the extension is added.
func (persistedQueries) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters replaces a persisted query's reference with its
// text, before the document is parsed.
func (p persistedQueries) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	info := infoFrom(ctx)
	if ext, present := params.Extensions["persistedQuery"]; present {
		hash, err := apqHash(ext)
		if err != nil {
			return err
		}
		if params.Query == "" {
			q, ok := p.lookupHash(ctx, hash)
			if !ok {
				return requestError(CodePersistedQueryNotFound, "PersistedQueryNotFound")
			}
			params.Query = q
		} else if queryHash(params.Query) != hash {
			return requestError(CodeBadRequest, "provided sha256Hash does not match the query")
		} else if p.apq != nil && !p.allowList {
			info.apqHash = hash // stored once the query passes every check
		}
	}
	if info.documentID != "" && params.Query == "" {
		q, ok := p.lookupDocument(ctx, info.documentID)
		if !ok {
			return requestError(CodePersistedQueryNotFound, "no persisted document has id %q", info.documentID)
		}
		params.Query = q
	}
	if p.allowList && !p.ops.allows(params.Query) {
		return requestError(CodeOperationNotAllowed,
			"this server runs only its persisted operations, and this is not one of them")
	}
	return nil
}

// apqStore stores an Automatic Persisted Query once it has passed
// validation and every limit, so that no junk fills the cache. It must be
// the last operation-context extension.
type apqStore struct {
	apq graphql.Cache[string]
}

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = apqStore{}

// ExtensionName names the extension for gqlgen.
func (apqStore) ExtensionName() string { return "APQStore" }

// Validate is called once when the extension is added.
func (apqStore) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext stores the request's query under its hash.
func (s apqStore) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if hash := infoFrom(ctx).apqHash; hash != "" && len(opCtx.RawQuery) <= maxAPQBytes {
		s.apq.Add(ctx, hash, opCtx.RawQuery)
	}
	return nil
}

func (p persistedQueries) lookupHash(ctx context.Context, hash string) (string, bool) {
	if q, ok := p.ops.byHash(hash); ok {
		return q, true
	}
	if p.apq != nil && !p.allowList {
		return p.apq.Get(ctx, hash)
	}
	return "", false
}

func (p persistedQueries) lookupDocument(ctx context.Context, id string) (string, bool) {
	if hash, ok := strings.CutPrefix(id, "sha256:"); ok {
		return p.lookupHash(ctx, strings.ToLower(hash))
	}
	return p.ops.byID(id)
}

// apqHash reads Apollo's persistedQuery extension: {"version": 1,
// "sha256Hash": "<64 hex digits>"}.
func apqHash(ext any) (string, *gqlerror.Error) {
	m, ok := ext.(map[string]any)
	if !ok {
		return "", requestError(CodeBadRequest, "extensions.persistedQuery must be an object")
	}
	if v, _ := m["version"].(interface{ String() string }); v == nil || v.String() != "1" {
		return "", requestError(CodeBadRequest, "extensions.persistedQuery.version must be 1")
	}
	hash, _ := m["sha256Hash"].(string)
	hash = strings.ToLower(hash)
	if b, err := hex.DecodeString(hash); err != nil || len(b) != sha256.Size {
		return "", requestError(CodeBadRequest, "extensions.persistedQuery.sha256Hash must be 64 hex digits")
	}
	return hash, nil
}

// queryHash is the lowercase hex sha256 of a query, as APQ computes it.
func queryHash(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:])
}
