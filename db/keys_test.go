package db_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// TestStore_BatchesAnswerTheirKeys checks every batch read, asked for one
// key at a time: it answers only for that key, and the answers for each
// key together are the answer for all keys at once, as a loader relies on.
func TestStore_BatchesAnswerTheirKeys(t *testing.T) {
	s, _ := seededStore(t)
	all := allIDs(t, s)
	ctx := t.Context()
	type batch func(context.Context, []int64) (any, error)
	wrap := func(f any) batch {
		fn := reflect.ValueOf(f)
		return func(ctx context.Context, ids []int64) (any, error) {
			out := fn.Call([]reflect.Value{reflect.ValueOf(ctx), reflect.ValueOf(ids)})
			err, _ := out[1].Interface().(error)
			return out[0].Interface(), err
		}
	}
	for _, tc := range []struct {
		name string
		typ  string
		find batch
	}{
		{"companies by id", "Company", wrap(s.FindCompaniesByIDs)},
		{"people by id", "Person", wrap(s.FindPeopleByIDs)},
		{"projects by id", "Project", wrap(s.FindProjectsByIDs)},
		{"meetings by id", "Meeting", wrap(s.FindMeetingsByIDs)},
		{"agreements by id", "Agreement", wrap(s.FindAgreementsByIDs)},
		{"sources by id", "Source", wrap(s.FindSourcesByIDs)},
		{"subsidiaries", "Company", wrap(s.FindSubsidiaries)},
		{"agreement parties", "Agreement", wrap(s.FindAgreementParties)},
		{"meeting organizations", "Meeting", wrap(s.FindMeetingOrganizations)},
		{"meeting participants", "Meeting", wrap(s.FindMeetingParticipants)},
		{"agreement signatories", "Agreement", wrap(s.FindAgreementSignatories)},
		{"meeting projects", "Meeting", wrap(s.FindMeetingProjects)},
		{"agreement projects", "Agreement", wrap(s.FindAgreementProjects)},
		{"meeting topics", "Meeting", wrap(s.FindMeetingTopics)},
		{"meetings of people", "Person", wrap(s.FindMeetingsByPersonIDs)},
		{"meetings of organizations", "Company", wrap(s.FindMeetingsByCompanyIDs)},
		{"meetings of projects", "Project", wrap(s.FindMeetingsByProjectIDs)},
		{"agreements of organizations", "Company", wrap(s.FindAgreementsByCompanyIDs)},
		{"agreements of projects", "Project", wrap(s.FindAgreementsByProjectIDs)},
		{"agreements of meetings", "Meeting", wrap(s.FindAgreementsByMeetingIDs)},
		{"positions of people", "Person", wrap(s.FindPositionsByPersonIDs)},
		{"positions at organizations", "Company", wrap(s.FindPositionsByOrganizationIDs)},
		{"participants of projects", "Project", wrap(s.FindParticipantsByProjectIDs)},
		{"participations of organizations", "Company", wrap(s.FindParticipantsByCompanyIDs)},
		{"figures of organizations", "Company", wrap(s.FindMeasurementsByCompanyIDs)},
		{"figures of projects", "Project", wrap(s.FindMeasurementsByProjectIDs)},
		{"milestones", "Project", wrap(s.FindMilestonesByProjectIDs)},
		{"amounts of projects", "Project", wrap(s.FindAmountsByProjectIDs)},
		{"amounts of agreements", "Agreement", wrap(s.FindAmountsByAgreementIDs)},
		{"company aliases", "Company", func(ctx context.Context, ids []int64) (any, error) { return s.FindAliases(ctx, db.SubjectCompany, ids) }},
		{"project aliases", "Project", func(ctx context.Context, ids []int64) (any, error) { return s.FindAliases(ctx, db.SubjectProject, ids) }},
	} {
		whole, err := tc.find(ctx, all.ids[tc.typ])
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		union := map[string]json.RawMessage{}
		for _, id := range all.ids[tc.typ] {
			one, err := tc.find(ctx, []int64{id})
			if err != nil {
				t.Fatalf("%s of %d: %v", tc.name, id, err)
			}
			m := asMap(t, one)
			for k, v := range m {
				if k != jsonKey(id) {
					t.Errorf("%s asked for %d answers for %s too", tc.name, id, k)
				}
				union[k] = v
			}
		}
		if got, want := union, asMap(t, whole); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: one key at a time answers %d keys, all at once %d", tc.name, len(got), len(want))
		}
		if len(union) == 0 {
			t.Errorf("%s: no answer for any key", tc.name)
		}
	}
}

func jsonKey(id int64) string {
	raw, _ := json.Marshal(map[int64]int{id: 0})
	var m map[string]int
	json.Unmarshal(raw, &m)
	for k := range m {
		return k
	}
	return ""
}

func asMap(t *testing.T, v any) map[string]json.RawMessage {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
