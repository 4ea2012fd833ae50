package httpapi_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/investgraph/investgraph/graph"
	"github.com/investgraph/investgraph/graphtest"
	"github.com/investgraph/investgraph/httpapi"
)

// projectChangeset is the n-th of a series of changesets that each bring a
// source with a project of its own, and cite Kazakhstan when cite is set.
func projectChangeset(n int, cite bool) graphtest.Changeset {
	y := fmt.Sprintf("source:\n  slug: \"example-p%d\"\n  title: \"Example project source %d\"\n  publishedOn: \"2026-12-01\"\n  paragraphs: 1\n"+
		"projects:\n  - slug: example-project-%d\n    name: \"Example project %d\"\n    sector: POWER\n    status: PROPOSED\n    cite: [1]\n", n, n, n, n)
	if cite {
		y += "companies:\n  - slug: kazakhstan\n    cite: [1]\n"
	}
	return graphtest.Changeset{YAML: y, Message: fmt.Sprintf("project %d", n)}
}

// TestSubscribeChanges follows changes by subject, by kind and by both, over
// each transport: a revision the filters do not select is never sent, and
// one they select comes with the objects they selected.
func TestSubscribeChanges(t *testing.T) {
	kazakhstan := graph.GlobalID("Company", "kazakhstan")
	for _, transport := range []string{"WebSocket", "SSE"} {
		t.Run(transport, func(t *testing.T) {
			srv := quietServer(t, httpapi.Options{})
			editor := srv.Editor(t, "alice")
			subscribe := func(vars map[string]any) *graphtest.Subscription {
				if transport == "SSE" {
					return srv.SubscribeSSE(t, graphtest.ChangesSubscription, vars)
				}
				return srv.Subscribe(t, graphtest.ChangesSubscription, vars)
			}
			start, _ := editor.ApplyChangeset(t, smallChangeset(0))
			bySubject := subscribe(map[string]any{"subjects": []string{kazakhstan}, "after": start.ID})
			byKind := subscribe(map[string]any{"kinds": []string{"PROJECT"}, "after": start.ID})
			byBoth := subscribe(map[string]any{"subjects": []string{kazakhstan}, "kinds": []string{"PROJECT"}, "after": start.ID})
			everything := subscribe(map[string]any{"after": start.ID})

			onlyKZ, _ := editor.ApplyChangeset(t, smallChangeset(1))               // Source, Company kazakhstan
			onlyProject, _ := editor.ApplyChangeset(t, projectChangeset(2, false)) // Source, Project
			both, _ := editor.ApplyChangeset(t, projectChangeset(3, true))         // Source, Company, Project

			type want struct {
				rev   graphtest.Revision
				nodes []string // __typename of the selected nodes
			}
			for _, tc := range []struct {
				name string
				sub  *graphtest.Subscription
				want []want
			}{
				{"BySubject", bySubject, []want{{onlyKZ, []string{"Company"}}, {both, []string{"Company"}}}},
				{"ByKind", byKind, []want{{onlyProject, []string{"Project"}}, {both, []string{"Project"}}}},
				{"ByBoth", byBoth, []want{{both, []string{"Company", "Project"}}}},
				{"Everything", everything, []want{{onlyKZ, []string{"Source", "Company"}}, {onlyProject, []string{"Source", "Project"}}, {both, []string{"Source", "Company", "Project"}}}},
			} {
				for i, w := range tc.want {
					var ev graphtest.ChangeEvent
					tc.sub.Next(t, &ev)
					var nodes []string
					for _, n := range ev.Changes.Nodes {
						nodes = append(nodes, n.Typename)
					}
					if ev.Changes.Revision.ID != w.rev.ID || !slices.Equal(nodes, w.nodes) {
						t.Errorf("%s: event %d = revision %s with %v, want %s (%s) with %v", tc.name, i, ev.Changes.Revision.ID, nodes, w.rev.ID, w.rev.Message, w.nodes)
					}
					var kinds []string
					for _, n := range w.rev.Touched {
						kinds = append(kinds, map[string]string{"Source": "SOURCE", "Company": "COMPANY", "Project": "PROJECT"}[n.Typename])
					}
					if !slices.Equal(ev.Changes.Kinds, kinds) {
						t.Errorf("%s: kinds %v, want %v", tc.name, ev.Changes.Kinds, kinds)
					}
				}
				tc.sub.Close()
			}

			t.Run("ReconnectWithAfter", func(t *testing.T) {
				// Reconnecting after the first project revision, the
				// stream holds the next project revision it missed, and
				// then what commits live.
				editor.ApplyChangeset(t, smallChangeset(4))
				missed, _ := editor.ApplyChangeset(t, projectChangeset(5, false))
				again := subscribe(map[string]any{"kinds": []string{"PROJECT"}, "after": onlyProject.ID})
				var ev graphtest.ChangeEvent
				for _, w := range []graphtest.Revision{both, missed} {
					again.Next(t, &ev)
					if ev.Changes.Revision.ID != w.ID {
						t.Errorf("event = %s, want %s (%s)", ev.Changes.Revision.ID, w.ID, w.Message)
					}
				}
				editor.ApplyChangeset(t, smallChangeset(6))
				live, _ := editor.ApplyChangeset(t, projectChangeset(7, false))
				again.Next(t, &ev)
				if ev.Changes.Revision.ID != live.ID {
					t.Errorf("live event = %s, want %s", ev.Changes.Revision.ID, live.ID)
				}
			})
			t.Run("ErrBadFilter", func(t *testing.T) {
				for _, tc := range []struct {
					vars  map[string]any
					field string
				}{
					{map[string]any{"subjects": []string{kazakhstan, "nope"}}, "subjects[1]"},
					{map[string]any{"subjects": []string{start.ID}}, "subjects[0]"},
					{map[string]any{"subjects": []string{}}, "subjects"},
					{map[string]any{"kinds": []string{"COMPANIES"}}, "kinds[0]"},
					{map[string]any{"after": "nope"}, ""},
				} {
					m := subscribe(tc.vars).NextMessage(t)
					if (m.Type != "next" && m.Type != "error") || len(m.Errors) == 0 || m.Errors[0].Code() != httpapi.CodeBadUserInput {
						t.Errorf("%v: message = %+v", tc.vars, m)
						continue
					}
					if f, _ := m.Errors[0].Extensions["field"].(string); tc.field != "" && f != tc.field {
						t.Errorf("%v: field %q, want %q (%s)", tc.vars, f, tc.field, m.Errors[0].Message)
					}
				}
			})
		})
	}
}
