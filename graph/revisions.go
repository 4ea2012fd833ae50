package graph

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/model"
	"github.com/investgraph/investgraph/seed"
)

const typeRevision = "Revision"

// DefaultSubscriberBuffer is how many committed revisions a subscriber may
// have waiting, not yet taken by its connection, before it is disconnected.
const DefaultSubscriberBuffer = 64

// revisionPoll is how often a subscription looks for revisions that other
// processes committed; those of this process wake it at once.
const revisionPoll = time.Second

// revisionPage is how many revisions a subscription reads at a time.
const revisionPage = 100

// CodeSubscriberTooSlow is the code of the error that ends the stream of a
// subscriber that fell too far behind.
const CodeSubscriberTooSlow = "SUBSCRIBER_TOO_SLOW"

func revisionID(id int64) string { return GlobalID(typeRevision, strconv.FormatInt(id, 10)) }

// parseRevisionID reads a revision's global ID.
func parseRevisionID(id string) (int64, error) {
	s, err := slugFromID(id, typeRevision)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, db.Errorf(db.EINVALID, "invalid id %s: pass an id returned by this API", db.Quote(id))
	}
	return n, nil
}

func (r *Resolver) findRevision(ctx context.Context, slug string) (model.Node, error) {
	n, err := strconv.ParseInt(slug, 10, 64)
	if err != nil {
		return nil, nil
	}
	rev, err := r.Store.FindRevisionByID(ctx, n)
	if err != nil {
		return nil, err
	}
	return rev, nil
}

// applyChangeset applies a changeset as the request's token, which needs
// EDITOR. Every problem beyond the first is added to the response as an
// error of its own.
func (r *Resolver) applyChangeset(ctx context.Context, in model.ChangesetInput) (*model.ApplyChangesetPayload, error) {
	tok, err := requireRole(ctx, db.RoleEditor)
	if err != nil {
		return nil, err
	}
	c := seed.Changeset{Message: in.Message, Author: tok.Name}
	switch {
	case in.Yaml != nil && in.Changeset != nil:
		return nil, &db.Error{Code: db.EINVALID, Field: fileField,
			Message: "changeset and yaml are two forms of one seed file: give one of them, not both"}
	case in.Yaml != nil:
		c.YAML = *in.Yaml
	case in.Changeset != nil:
		if c.File, err = seedFile(in.Changeset); err != nil {
			return nil, changesetError(ctx, err)
		}
	}
	if in.IdempotencyKey != nil {
		c.IdempotencyKey = *in.IdempotencyKey
	}
	rev, replayed, err := r.writer().Apply(ctx, c)
	if err != nil {
		if in.Changeset != nil {
			err = elementFields(err, in.Changeset)
		}
		return nil, changesetError(ctx, err)
	}
	return &model.ApplyChangesetPayload{Revision: rev, Replayed: replayed}, nil
}

// changesetError returns the first of a changeset's problems and adds each
// of the others to the response as an error of its own.
func changesetError(ctx context.Context, err error) error {
	var many interface{ Unwrap() []error }
	if errors.As(err, &many) {
		errs := many.Unwrap()
		for _, e := range errs[1:] {
			graphql.AddError(ctx, e)
		}
		return errs[0]
	}
	return err
}

// revisions pages the revisions, oldest first; a cursor is a revision's id.
func (r *Resolver) revisions(ctx context.Context, first *int, after, author, source *string) (*model.RevisionConnection, error) {
	f := db.RevisionFilter{Author: author, Limit: 20}
	if first != nil {
		if *first < 0 || *first > 100 {
			return nil, &db.Error{Code: db.EINVALID, Field: "first", Message: "first must be between 0 and 100"}
		}
		f.Limit = *first
	}
	if after != nil {
		id, err := parseRevisionID(*after)
		if err != nil {
			return nil, err
		}
		f.After = id
	}
	if source != nil {
		slug, err := slugFromID(*source, typeSource)
		if err != nil {
			return nil, err
		}
		f.Source = &slug
	}
	total, err := r.Store.CountRevisions(ctx, f)
	if err != nil {
		return nil, err
	}
	conn := &model.RevisionConnection{PageInfo: &model.PageInfo{HasPreviousPage: f.After > 0}, TotalCount: total, Edges: []*model.RevisionEdge{}}
	if f.Limit == 0 {
		return conn, nil
	}
	limit := f.Limit
	f.Limit++
	revs, err := r.Store.FindRevisions(ctx, f)
	if err != nil {
		return nil, err
	}
	if len(revs) > limit {
		revs, conn.PageInfo.HasNextPage = revs[:limit], true
	}
	for i, rev := range revs {
		c := revisionID(rev.ID)
		conn.Edges = append(conn.Edges, &model.RevisionEdge{Cursor: c, Node: rev})
		if i == 0 {
			conn.PageInfo.StartCursor = &c
		}
		conn.PageInfo.EndCursor = &c
	}
	return conn, nil
}

// touched resolves the objects a revision touched that still exist.
func (r *Resolver) touched(ctx context.Context, rev *db.Revision) ([]model.Node, error) {
	out := make([]model.Node, 0, len(rev.Touched))
	for _, ref := range rev.Touched {
		n, err := r.findNode(ctx, GlobalID(ref.Type, ref.Slug))
		if err != nil {
			return nil, err
		}
		if n != nil {
			out = append(out, n)
		}
	}
	return out, nil
}

// subscribeRevisions streams the revisions committed after the one with
// the id after (from now on when nil). Those committed before the
// subscription began are read a page at a time and sent as fast as the
// subscriber takes them. A revision committed since that finds the
// subscriber's buffer full ends the stream with a SUBSCRIBER_TOO_SLOW
// error (see WithStreamEnd) that names the last revision delivered, to
// subscribe again after. The store holds the backlog, so memory does not
// grow with a slow subscriber.
func (r *Resolver) subscribeRevisions(ctx context.Context, after *string) (<-chan *db.Revision, error) {
	return streamRevisions(ctx, r, after, func(rev *db.Revision) (*db.Revision, bool) { return rev, true })
}

// streamRevisions is subscribeRevisions for any stream of revisions: pick
// says whether a revision is sent, and as what. A revision not picked
// still counts as seen, for the after of a SUBSCRIBER_TOO_SLOW error.
func streamRevisions[T any](ctx context.Context, r *Resolver, after *string, pick func(*db.Revision) (T, bool)) (<-chan T, error) {
	latest, err := r.Store.LatestRevisionID(ctx)
	if err != nil {
		return nil, err
	}
	last := latest
	if after != nil {
		if last, err = parseRevisionID(*after); err != nil {
			return nil, err
		}
	}
	size := r.SubscriberBuffer
	if size <= 0 {
		size = DefaultSubscriberBuffer
	}
	out := make(chan T, size)
	go func() {
		defer close(out)
		poll := time.NewTicker(revisionPoll)
		defer poll.Stop()
		for {
			committed := r.Store.RevisionCommitted()
			revs, err := r.Store.FindRevisions(ctx, db.RevisionFilter{After: last, Limit: revisionPage})
			if err != nil {
				if ctx.Err() == nil {
					endStream(ctx, &gqlerror.Error{Message: "the revisions could not be read; subscribe again with after: \"" + revisionID(last) + "\"",
						Extensions: map[string]any{"code": "INTERNAL"}})
				}
				return
			}
			for _, rev := range revs {
				v, ok := pick(rev)
				switch {
				case !ok:
				case rev.ID <= latest:
					select {
					case out <- v:
					case <-ctx.Done():
						return
					}
				default:
					select {
					case out <- v:
					default:
						endStream(ctx, tooSlow(size, last))
						return
					}
				}
				last = rev.ID
			}
			if len(revs) == revisionPage {
				continue
			}
			select {
			case <-ctx.Done():
				return
			case <-committed:
			case <-poll.C:
			}
		}
	}()
	return out, nil
}

func tooSlow(size int, delivered int64) *gqlerror.Error {
	after := revisionID(delivered)
	return &gqlerror.Error{
		Message:    "disconnected: more than " + strconv.Itoa(size) + " revisions were waiting for this subscriber; subscribe again with after: \"" + after + "\" to receive them",
		Extensions: map[string]any{"code": CodeSubscriberTooSlow, "after": after},
	}
}

// streamEnd holds the error a stream ended with.
type streamEnd struct {
	mu  sync.Mutex
	err *gqlerror.Error
}

type streamEndKey struct{}

// WithStreamEnd returns a context in which a subscription can say why it
// ended its stream; StreamEnd reads it once the stream is closed, for the
// transport to send as a last response.
func WithStreamEnd(ctx context.Context) context.Context {
	return context.WithValue(ctx, streamEndKey{}, &streamEnd{})
}

// StreamEnd returns, once, the error a subscription under ctx ended with.
func StreamEnd(ctx context.Context) *gqlerror.Error {
	e, ok := ctx.Value(streamEndKey{}).(*streamEnd)
	if !ok {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	err := e.err
	e.err = nil
	return err
}

func endStream(ctx context.Context, err *gqlerror.Error) {
	if e, ok := ctx.Value(streamEndKey{}).(*streamEnd); ok {
		e.mu.Lock()
		e.err = err
		e.mu.Unlock()
	}
}
