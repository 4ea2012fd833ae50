package db_test

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
)

// TestStore_RelationOrder checks the documented order of every relation
// list (organizations, people and projects by name ignoring case, then
// slug; meetings by date, then slug; agreements by signing date, undated
// last, then slug) on two variants of the seed that tell the sort keys
// apart: names in the reverse of the slugs' order and in alternating case,
// so that sorting by slug or by case-sensitive name is wrong; and one name
// and one date for all, so that only the slug orders. Five organizations
// are made subsidiaries of one, so that subsidiaries have an order too.
func TestStore_RelationOrder(t *testing.T) {
	for _, variant := range []string{"ReverseNames", "OneName"} {
		t.Run(variant, func(t *testing.T) {
			s, _ := newStore(t)
			d := seedDataset(t)
			name := func(i int) string {
				if variant == "OneName" {
					return "Same"
				}
				letter := rune('a' + i%26)
				if i%2 == 1 {
					letter -= 'a' - 'A'
				}
				return fmt.Sprintf("%c%03d", letter, i)
			}
			// i-th in the reverse of slug order gets the i-th name.
			rename := func(slugs []string, set func(int, string)) {
				order := slices.Clone(slugs)
				slices.Sort(order)
				slices.Reverse(order)
				for i, slug := range slugs {
					set(i, name(slices.Index(order, slug)))
				}
			}
			var cs, ps, prs []string
			for _, c := range d.Companies {
				cs = append(cs, c.Slug)
			}
			for _, p := range d.People {
				ps = append(ps, p.Slug)
			}
			for _, p := range d.Projects {
				prs = append(prs, p.Slug)
			}
			rename(cs, func(i int, n string) { d.Companies[i].Name = n })
			rename(ps, func(i int, n string) { d.People[i].Name = n })
			rename(prs, func(i int, n string) { d.Projects[i].Name = n })
			for _, c := range d.Companies[1:6] {
				c.ParentID = &d.Companies[0].ID
			}
			// Aliases are listed by name, whatever order they were given in.
			for _, alias := range []string{"Zeta Alias", "Alpha Alias", "Mid Alias"} {
				d.Names = append(d.Names, db.Name{Subject: db.SubjectCompany, SubjectID: d.Companies[0].ID, Name: alias, Alias: true})
			}
			if variant == "OneName" {
				day := db.MustParsePartialDate("2024-01-01")
				for _, m := range d.Meetings {
					m.Date = day
				}
				for _, a := range d.Agreements {
					a.SignedOn = &day
				}
			}
			if err := s.Replace(t.Context(), d); err != nil {
				t.Fatal(err)
			}
			checkRelationOrder(t, s)
		})
	}
}

func checkRelationOrder(t *testing.T, s *db.Store) {
	t.Helper()
	ctx := t.Context()
	all := allIDs(t, s)
	byName := func(name, slug string) [2]string { return [2]string{nocase(name), slug} }
	pairs := 0
	check := func(what string, keys [][2]string, slugs []string) {
		t.Helper()
		if len(keys) > 1 {
			pairs += len(keys) - 1
		}
		if !slices.IsSortedFunc(keys, func(a, b [2]string) int { return cmp.Or(strings.Compare(a[0], b[0]), strings.Compare(a[1], b[1])) }) {
			t.Errorf("%s out of order: %v", what, slugs)
		}
	}
	companies := func(what string, m map[int64][]*db.Company, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		for k, list := range m {
			var keys [][2]string
			var slugs []string
			for _, c := range list {
				keys, slugs = append(keys, byName(c.Name, c.Slug)), append(slugs, c.Slug)
			}
			check(fmt.Sprintf("%s of %d", what, k), keys, slugs)
		}
	}
	people := func(what string, m map[int64][]*db.Person, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		for k, list := range m {
			var keys [][2]string
			var slugs []string
			for _, p := range list {
				keys, slugs = append(keys, byName(p.Name, p.Slug)), append(slugs, p.Slug)
			}
			check(fmt.Sprintf("%s of %d", what, k), keys, slugs)
		}
	}
	projects := func(what string, m map[int64][]*db.Project, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		for k, list := range m {
			var keys [][2]string
			var slugs []string
			for _, p := range list {
				keys, slugs = append(keys, byName(p.Name, p.Slug)), append(slugs, p.Slug)
			}
			check(fmt.Sprintf("%s of %d", what, k), keys, slugs)
		}
	}
	meetings := func(what string, m map[int64][]*db.Meeting, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		for k, list := range m {
			var keys [][2]string
			var slugs []string
			for _, x := range list {
				keys, slugs = append(keys, [2]string{x.Date.Start(), x.Slug}), append(slugs, x.Slug)
			}
			check(fmt.Sprintf("%s of %d", what, k), keys, slugs)
		}
	}
	agreements := func(what string, m map[int64][]*db.Agreement, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		for k, list := range m {
			var keys [][2]string
			var slugs []string
			for _, x := range list {
				signed := "9999"
				if x.SignedOn != nil {
					signed = x.SignedOn.Start()
				}
				keys, slugs = append(keys, [2]string{signed, x.Slug}), append(slugs, x.Slug)
			}
			check(fmt.Sprintf("%s of %d", what, k), keys, slugs)
		}
	}
	aliases, err := s.FindAliases(ctx, db.SubjectCompany, all.ids["Company"])
	if err != nil {
		t.Fatal(err)
	}
	for id, list := range aliases {
		if !slices.IsSorted(list) {
			t.Errorf("aliases of company %d out of order: %q", id, list)
		}
		if len(list) > 1 {
			pairs += len(list) - 1
		}
	}
	m1, err := s.FindSubsidiaries(ctx, all.ids["Company"])
	companies("subsidiaries", m1, err)
	m1, err = s.FindAgreementParties(ctx, all.ids["Agreement"])
	companies("agreement parties", m1, err)
	m1, err = s.FindMeetingOrganizations(ctx, all.ids["Meeting"])
	companies("meeting organizations", m1, err)
	m2, err := s.FindMeetingParticipants(ctx, all.ids["Meeting"])
	people("meeting participants", m2, err)
	m2, err = s.FindAgreementSignatories(ctx, all.ids["Agreement"])
	people("agreement signatories", m2, err)
	m3, err := s.FindMeetingProjects(ctx, all.ids["Meeting"])
	projects("meeting projects", m3, err)
	m3, err = s.FindAgreementProjects(ctx, all.ids["Agreement"])
	projects("agreement projects", m3, err)
	m4, err := s.FindMeetingsByPersonIDs(ctx, all.ids["Person"])
	meetings("meetings of person", m4, err)
	m4, err = s.FindMeetingsByCompanyIDs(ctx, all.ids["Company"])
	meetings("meetings of company", m4, err)
	m4, err = s.FindMeetingsByProjectIDs(ctx, all.ids["Project"])
	meetings("meetings of project", m4, err)
	m5, err := s.FindAgreementsByCompanyIDs(ctx, all.ids["Company"])
	agreements("agreements of company", m5, err)
	m5, err = s.FindAgreementsByProjectIDs(ctx, all.ids["Project"])
	agreements("agreements of project", m5, err)
	m5, err = s.FindAgreementsByMeetingIDs(ctx, all.ids["Meeting"])
	agreements("agreements of meeting", m5, err)
	if pairs < 30 {
		t.Errorf("only %d neighbouring pairs checked: the data does not tell the orders apart", pairs)
	}
}
