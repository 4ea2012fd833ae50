package httpapi_test

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/investgraph/investgraph/httpapi"
)

// operationLabels are the distinct operation labels of the requests counter.
func operationLabels(t *testing.T, h http.Handler) map[string]bool {
	t.Helper()
	body := serve(h, http.MethodGet, "/metrics", "").Body.String()
	labels := map[string]bool{}
	for _, m := range regexp.MustCompile(`investgraph_graphql_requests_total\{operation="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		labels[m[1]] = true
	}
	return labels
}

func TestMetricsLabelOnlyValidatedOperations(t *testing.T) {
	srv := quietServer(t, httpapi.Options{})
	// 200 made-up names, each three ways: naming an operation the document
	// lacks, in a document that does not parse, and in one the schema
	// refuses.
	for i := range 200 {
		for _, body := range []string{
			fmt.Sprintf(`{"query":"{ __typename }","operationName":"Made%d"}`, i),
			fmt.Sprintf(`{"query":"query Made%d {","operationName":"Made%d"}`, i, i),
			fmt.Sprintf(`{"query":"query Made%d { nope }"}`, i),
		} {
			if rec := serve(srv.Handler, http.MethodPost, "/graphql", body); rec.Code == http.StatusOK && !regexp.MustCompile(`"errors"`).MatchString(rec.Body.String()) {
				t.Fatalf("%s was answered without an error: %s", body, rec.Body)
			}
		}
	}
	if got := operationLabels(t, srv.Handler); len(got) != 1 || !got["other"] {
		t.Errorf("labels after 600 requests that never validated: %v, want only other", got)
	}
	serve(srv.Handler, http.MethodPost, "/graphql", `{"query":"query CompanyCard { company(slug: \"citic-group\") { name } }"}`)
	if got := operationLabels(t, srv.Handler); !got["CompanyCard"] || len(got) != 2 {
		t.Errorf("labels = %v, want other and CompanyCard", got)
	}
	// A label once given is kept for later requests under that name that
	// fail before validation.
	serve(srv.Handler, http.MethodPost, "/graphql", `{"query":"query CompanyCard {","operationName":"CompanyCard"}`)
	body := serve(srv.Handler, http.MethodGet, "/metrics", "").Body.String()
	if want := `investgraph_graphql_requests_total{operation="CompanyCard",outcome="GRAPHQL_PARSE_FAILED"} 1`; !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(body) {
		t.Errorf("/metrics lacks %s", want)
	}
}
