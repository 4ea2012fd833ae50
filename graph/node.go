package graph

import (
	"context"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/model"
)

// findNode resolves a global ID to its object, or nil if none has it.
func (r *Resolver) findNode(ctx context.Context, id string) (model.Node, error) {
	typ, slug, err := ParseGlobalID(id)
	if err != nil {
		return nil, err
	}
	var n model.Node
	switch typ {
	case typeCompany:
		n, err = r.Store.FindCompanyBySlug(ctx, slug)
	case typePerson:
		n, err = r.Store.FindPersonBySlug(ctx, slug)
	case typeProject:
		n, err = r.Store.FindProjectBySlug(ctx, slug)
	case typeMeeting:
		n, err = r.Store.FindMeetingBySlug(ctx, slug)
	case typeAgreement:
		n, err = r.Store.FindAgreementBySlug(ctx, slug)
	case typeSource:
		n, err = r.Store.FindSourceBySlug(ctx, slug)
	case typeStatement:
		n, err = r.Store.FindStatementBySlug(ctx, slug)
	case typeEvent:
		n, err = r.Store.FindEventBySlug(ctx, slug)
	case typeRevision:
		n, err = r.findRevision(ctx, slug)
	default:
		return nil, db.Errorf(db.EINVALID, "invalid id %s: unknown type %s", db.Quote(id), db.Quote(typ))
	}
	if db.ErrorCode(err) == db.ENOTFOUND {
		return nil, nil
	}
	return n, err
}

// filterMeasurements keeps the measurements of one metric (if metric is
// set) that keep accepts (if keep is set), in their stored order.
func filterMeasurements(all []*db.Measurement, err error, metric *db.Metric, keep func(db.Metric) bool) ([]*db.Measurement, error) {
	if err != nil {
		return nil, err
	}
	out := make([]*db.Measurement, 0, len(all))
	for _, m := range all {
		if (metric == nil || m.Metric == *metric) && (keep == nil || keep(m.Metric)) {
			out = append(out, m)
		}
	}
	return out, nil
}
