package httpapi

import (
	"context"
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// maxOperationLabels bounds the distinct operation names the metrics keep;
// later names are counted as "other", so clients cannot blow up the number of time series by
// inventing names.
const maxOperationLabels = 200

// metrics are the gateway's Prometheus metrics, in a registry of their own
// so that several handlers (in tests) never collide.
type metrics struct {
	registry     *prometheus.Registry
	requests     *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	cost         prometheus.Histogram
	statements   prometheus.Counter
	batches      *prometheus.CounterVec
	cache        *prometheus.CounterVec
	rateLimited  prometheus.Counter
	inFlight     prometheus.Gauge
	connsOpen    prometheus.Gauge
	connsRefused prometheus.Counter
	executor     *prometheus.CounterVec

	mu         sync.Mutex
	operations map[string]bool
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "investgraph_graphql_requests_total",
			Help: "GraphQL requests by operation name and outcome (ok or the first error's code).",
		}, []string{"operation", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "investgraph_graphql_request_duration_seconds",
			Help:    "Time to serve a GraphQL request, by operation name.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"operation"}),
		cost: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "investgraph_graphql_request_cost",
			Help:    "Computed cost of the GraphQL operations that got as far as being priced.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 9), // 1 to 65536
		}),
		statements: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "investgraph_sql_statements_total",
			Help: "SQL statements run on behalf of GraphQL requests.",
		}),
		batches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "investgraph_loader_batches_total",
			Help: "Batched store lookups by how they were fetched: prefetched for a whole level of the query at once, or on demand for one object (a field the prefetch plan does not cover).",
		}, []string{"fetch"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "investgraph_cache_lookups_total",
			Help: "Lookups in the parsed-query cache (query) and the Automatic Persisted Query cache (apq), by result.",
		}, []string{"cache", "result"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "investgraph_rate_limited_total",
			Help: "Requests rejected because their client's cost budget was spent.",
		}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "investgraph_graphql_requests_in_flight",
			Help: "GraphQL requests being served.",
		}),
		connsOpen: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "investgraph_connections_open",
			Help: "Connections open on the API's listener.",
		}),
		connsRefused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "investgraph_connections_refused_total",
			Help: "Connections closed as soon as accepted because their address had as many open as it may.",
		}),
		executor: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "investgraph_graphql_executor_total",
			Help: "GraphQL operations by the executor that ran them under -executor fast: fast (compiled) or gqlgen (those the compiled executor does not support).",
		}, []string{"executor"}),
		operations: map[string]bool{},
	}
	m.registry.MustRegister(m.requests, m.duration, m.cost, m.statements, m.batches, m.cache, m.rateLimited, m.inFlight,
		m.connsOpen, m.connsRefused, m.executor,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// handler serves the metrics in Prometheus' text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// observe records one finished request.
func (m *metrics) observe(info *requestInfo, elapsed time.Duration, statements int64) {
	op := m.operationLabel(info.operation, info.validated)
	m.requests.WithLabelValues(op, info.outcome).Inc()
	m.duration.WithLabelValues(op).Observe(elapsed.Seconds())
	m.statements.Add(float64(statements))
	m.batches.WithLabelValues("prefetched").Add(float64(info.prefetched))
	m.batches.WithLabelValues("on_demand").Add(float64(info.onDemand))
	if info.costKnown {
		m.cost.Observe(float64(info.cost))
	}
	if info.rateLimited {
		m.rateLimited.Inc()
	}
}

func (m *metrics) cacheLookup(cache string, hit bool) {
	result := "miss"
	if hit {
		result = "hit"
	}
	m.cache.WithLabelValues(cache, result).Inc()
}

// graphQLName matches a GraphQL operation name of reasonable length.
var graphQLName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,63}$`)

// operationLabel is the operation label of a request: "anonymous" for no
// name, the name when it has a label already, and otherwise "other",
// unless the operation passed validation and fewer than
// maxOperationLabels names have labels: then the name gets one. A request
// that never reached validation (malformed, rejected by a limit, or naming
// an operation its document lacks) therefore never takes a label, so
// made-up names cannot use up the labels that real operations need.
func (m *metrics) operationLabel(name string, validated bool) string {
	switch {
	case name == "":
		return "anonymous"
	case !graphQLName.MatchString(name):
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.operations[name] {
		return name
	}
	if validated && len(m.operations) < maxOperationLabels {
		m.operations[name] = true
		return name
	}
	return "other"
}

// validatedOperation marks a request whose document passed validation,
// for its metrics label. It runs as the first operation-context
// extension, which gqlgen calls only for a valid document.
type validatedOperation struct{}

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = validatedOperation{}

// ExtensionName names the extension for gqlgen.
func (validatedOperation) ExtensionName() string { return "ValidatedOperation" }

// Validate is called once when the extension is added.
func (validatedOperation) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext records the name of the validated operation.
func (validatedOperation) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation != nil {
		info := infoFrom(ctx)
		info.operation, info.validated = opCtx.Operation.Name, true
	}
	return nil
}
