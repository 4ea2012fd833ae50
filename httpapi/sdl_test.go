package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

func TestSchemaSDL(t *testing.T) {
	srv := graphtest.New(t)
	resp, err := srv.HTTPClient().Get(srv.BaseURL() + "/schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got, want := resp.Header.Get("Content-Type"), "text/plain; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	sdl := srv.Fetch(t, "/schema.graphql")

	t.Run("OKSameSchema", func(t *testing.T) {
		parsed, gqlErr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: sdl})
		if gqlErr != nil {
			t.Fatalf("the served SDL does not load: %v", gqlErr)
		}
		served := graph.Schema()
		n := 0
		for name, def := range served.Types {
			if def.BuiltIn {
				continue
			}
			got := parsed.Types[name]
			if got == nil {
				t.Errorf("type %s missing from the SDL", name)
				continue
			}
			if got.Description != def.Description {
				t.Errorf("%s: description %q, want %q", name, got.Description, def.Description)
			}
			for _, f := range def.Fields {
				n++
				g := got.Fields.ForName(f.Name)
				if g == nil || g.Type.String() != f.Type.String() || g.Description != f.Description || len(g.Arguments) != len(f.Arguments) {
					t.Errorf("field %s.%s differs in the SDL", name, f.Name)
				}
			}
		}
		if n < 100 {
			t.Errorf("compared only %d fields", n)
		}
	})
	t.Run("OKNotModified", func(t *testing.T) {
		etag := resp.Header.Get("ETag")
		req, _ := http.NewRequest(http.MethodGet, srv.BaseURL()+"/schema.graphql", nil)
		req.Header.Set("If-None-Match", etag)
		r, err := srv.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if etag == "" || r.StatusCode != http.StatusNotModified {
			t.Errorf("ETag %q: status %d, want 304", etag, r.StatusCode)
		}
	})
	t.Run("OKOffWithIntrospection", func(t *testing.T) {
		off := graphtest.New(t, graphtest.WithOptions(httpapi.Options{DisableIntrospection: true}))
		r, err := off.HTTPClient().Get(off.BaseURL() + "/schema.graphql")
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("with introspection off: status %d, want 404", r.StatusCode)
		}
	})
	if !strings.Contains(sdl, "type Query") {
		t.Error("no Query type in the SDL")
	}
}
