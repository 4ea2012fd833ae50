package db_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestStore_FindCompanyByName(t *testing.T) {
	s, _ := seededStore(t)
	t.Run("OK", func(t *testing.T) {
		for name, slug := range map[string]string{
			"CITIC":                        "citic-group",
			"citic":                        "citic-group",
			"CITIC Group":                  "citic-group",
			"Citic Group":                  "citic-group",
			"CITIC Construction":           "citic-construction",
			"KMG":                          "kazmunaygas",
			"Kazmunaygas":                  "kazmunaygas",
			"KazMunayGas":                  "kazmunaygas",
			"KazMunayGas National Company": "kazmunaygas",
			"kazmunaygas-national-company": "kazmunaygas",
			"Caspi Bitum":                  "caspi-bitum",
			"China":                        "china",
			"People's Republic of China":   "china",
		} {
			c, err := s.FindCompanyByName(t.Context(), name)
			if err != nil {
				t.Errorf("FindCompanyByName(%q): %v", name, err)
				continue
			}
			if got, want := c.Slug, slug; got != want {
				t.Errorf("FindCompanyByName(%q) = %s, want %s", name, got, want)
			}
		}
	})
	t.Run("OKFields", func(t *testing.T) {
		c, err := s.FindCompanyByName(t.Context(), "CITIC Construction")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.Kind, db.CompanyKind("COMPANY"); got != want {
			t.Errorf("Kind = %q, want %q", got, want)
		}
		if c.Country == nil || *c.Country != "CN" {
			t.Errorf("Country = %v, want CN", c.Country)
		}
		if got, want := ptrValue(c.ParentID), companyID(t, s, "citic-group"); got != want {
			t.Errorf("ParentID = %d, want citic-group's id %d", got, want)
		}
		group, err := s.FindCompanyBySlug(t.Context(), "citic-group")
		if err != nil {
			t.Fatal(err)
		}
		if group.Founded == nil || group.Founded.String() != "1979" {
			t.Errorf("citic-group Founded = %v, want 1979", group.Founded)
		}
		if group.ParentID != nil {
			t.Errorf("citic-group ParentID = %d, want nil", *group.ParentID)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		for _, name := range []string{"Gazprom", "", "CITI", "KMG Group"} {
			_, err := s.FindCompanyByName(t.Context(), name)
			wantCode(t, err, db.ENOTFOUND)
		}
	})
}

func TestStore_FindByName_People_Projects(t *testing.T) {
	s, _ := seededStore(t)
	t.Run("OKPerson", func(t *testing.T) {
		p, err := s.FindPersonByName(t.Context(), "zhu hexin")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := p.Slug, "zhu-hexin"; got != want {
			t.Errorf("slug = %q, want %q", got, want)
		}
	})
	t.Run("OKProject", func(t *testing.T) {
		for name, slug := range map[string]string{
			"beineu bozoi shymkent":        "beineu-bozoi-shymkent-gas-pipeline",
			"Beineu-Bozoi-Shymkent":        "beineu-bozoi-shymkent-gas-pipeline",
			"Caspi Bitum":                  "caspi-bitum-expansion",
			"Kenkiyak-Kumkol oil pipeline": "kenkiyak-kumkol-pipeline-expansion",
		} {
			p, err := s.FindProjectByName(t.Context(), name)
			if err != nil {
				t.Errorf("FindProjectByName(%q): %v", name, err)
				continue
			}
			if got, want := p.Slug, slug; got != want {
				t.Errorf("FindProjectByName(%q) = %s, want %s", name, got, want)
			}
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.FindPersonByName(t.Context(), "Nobody")
		wantCode(t, err, db.ENOTFOUND)
		// A company's name is not a person's.
		_, err = s.FindPersonByName(t.Context(), "CITIC")
		wantCode(t, err, db.ENOTFOUND)
		_, err = s.FindProjectByName(t.Context(), "Nowhere pipeline")
		wantCode(t, err, db.ENOTFOUND)
	})
}

// TestStore_FindCompanyByName_Ambiguous uses a dataset of its own in which
// names collide.
func TestStore_FindCompanyByName_Ambiguous(t *testing.T) {
	s, _ := newStore(t)
	d := &db.Dataset{
		Companies: []*db.Company{
			{ID: 1, Slug: "acme-east", Name: "Acme East", Kind: "COMPANY"},
			{ID: 2, Slug: "acme-west", Name: "Acme West", Kind: "COMPANY"},
			{ID: 3, Slug: "acme", Name: "Acme", Kind: "COMPANY"},
		},
		Names: []db.Name{
			{Subject: db.SubjectCompany, SubjectID: 1, Name: "Acme East"},
			{Subject: db.SubjectCompany, SubjectID: 1, Name: "Acme Ltd", Alias: true},
			{Subject: db.SubjectCompany, SubjectID: 1, Name: "Acme", Alias: true},
			{Subject: db.SubjectCompany, SubjectID: 2, Name: "Acme West"},
			{Subject: db.SubjectCompany, SubjectID: 2, Name: "ACME-Ltd", Alias: true},
			{Subject: db.SubjectCompany, SubjectID: 2, Name: "Acme", Alias: true},
			{Subject: db.SubjectCompany, SubjectID: 3, Name: "Acme"},
		},
	}
	if err := s.Replace(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	t.Run("OKCanonicalWins", func(t *testing.T) {
		c, err := s.FindCompanyByName(t.Context(), "ACME")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.Slug, "acme"; got != want {
			t.Errorf("slug = %q, want %q: a canonical name beats aliases", got, want)
		}
	})
	t.Run("ErrAmbiguousAlias", func(t *testing.T) {
		_, err := s.FindCompanyByName(t.Context(), "acme ltd")
		wantCode(t, err, db.EINVALID)
		for _, name := range []string{"Acme East", "Acme West"} {
			if !strings.Contains(err.Error(), name) {
				t.Errorf("error %q does not list %q", err, name)
			}
		}
	})
}

func TestStore_FindBySlug(t *testing.T) {
	s, _ := seededStore(t)
	ctx := t.Context()
	t.Run("OK", func(t *testing.T) {
		if c, err := s.FindCompanyBySlug(ctx, "kazmunaygas"); err != nil || c.Name != "KazMunayGas" {
			t.Errorf("company = %+v, %v; want KazMunayGas", c, err)
		}
		if p, err := s.FindPersonBySlug(ctx, "xi-guohua"); err != nil || p.Name != "Xi Guohua" {
			t.Errorf("person = %+v, %v; want Xi Guohua", p, err)
		}
		if p, err := s.FindProjectBySlug(ctx, "caspi-bitum-expansion"); err != nil || p.Sector != "REFINING" {
			t.Errorf("project = %+v, %v; want the REFINING project", p, err)
		}
		if m, err := s.FindMeetingBySlug(ctx, "2024-08-khassenov-xi-guohua"); err != nil || m.Date.String() != "2024-08" {
			t.Errorf("meeting = %+v, %v; want one dated 2024-08", m, err)
		}
		a, err := s.FindAgreementBySlug(ctx, "citic-five-documents-2023")
		if err != nil {
			t.Fatal(err)
		}
		if a.DocumentCount == nil || *a.DocumentCount != 5 {
			t.Errorf("DocumentCount = %v, want 5", a.DocumentCount)
		}
		if a.DocumentCountApproximation == nil || *a.DocumentCountApproximation != "EXACT" {
			t.Errorf("DocumentCountApproximation = %v, want EXACT", a.DocumentCountApproximation)
		}
		if a.SignedOn == nil || a.SignedOn.String() != "2023-05" {
			t.Errorf("SignedOn = %v, want 2023-05", a.SignedOn)
		}
		src, err := s.FindSourceBySlug(ctx, "0cd24d71fac579ce")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := src.Paragraphs, 11; got != want {
			t.Errorf("Paragraphs = %d, want %d", got, want)
		}
		if got, want := src.PublishedOn.String(), "2024-08-22"; got != want {
			t.Errorf("PublishedOn = %s, want %s", got, want)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.FindCompanyBySlug(ctx, "nope")
		wantCode(t, err, db.ENOTFOUND)
		_, err = s.FindPersonBySlug(ctx, "nope")
		wantCode(t, err, db.ENOTFOUND)
		_, err = s.FindProjectBySlug(ctx, "nope")
		wantCode(t, err, db.ENOTFOUND)
		_, err = s.FindMeetingBySlug(ctx, "nope")
		wantCode(t, err, db.ENOTFOUND)
		_, err = s.FindAgreementBySlug(ctx, "nope")
		wantCode(t, err, db.ENOTFOUND)
		_, err = s.FindSourceBySlug(ctx, "nope")
		wantCode(t, err, db.ENOTFOUND)
		// Slugs are exact: no normalization as for names.
		_, err = s.FindCompanyBySlug(ctx, "CITIC-Group")
		wantCode(t, err, db.ENOTFOUND)
	})
}

func TestStore_FindCompaniesByIDs(t *testing.T) {
	s, d := seededStore(t)
	var ids []int64
	for _, c := range d.Companies {
		ids = append(ids, c.ID)
	}
	const unknown = 1 << 40
	got, err := s.FindCompaniesByIDs(t.Context(), append(ids, unknown))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(got), len(d.Companies); got != want {
		t.Errorf("%d companies, want %d", got, want)
	}
	for _, want := range d.Companies {
		c, ok := got[want.ID]
		if !ok {
			t.Errorf("company %d (%s) missing", want.ID, want.Slug)
			continue
		}
		if c.ID != want.ID || c.Slug != want.Slug || c.Name != want.Name {
			t.Errorf("got[%d] = %d %s %q, want %d %s %q", want.ID, c.ID, c.Slug, c.Name, want.ID, want.Slug, want.Name)
		}
	}
	if _, ok := got[unknown]; ok {
		t.Error("an unknown id is in the result")
	}
	empty, err := s.FindCompaniesByIDs(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(empty) != 0 {
		t.Errorf("no ids gave %d companies", len(empty))
	}
}

func TestStore_FindParticipantsByCompanyIDs(t *testing.T) {
	s, _ := seededStore(t)
	citic, kmg, cdb := companyID(t, s, "citic-group"), companyID(t, s, "kazmunaygas"), companyID(t, s, "china-development-bank")
	china := companyID(t, s, "china") // in no project
	got, err := s.FindParticipantsByCompanyIDs(t.Context(), []int64{citic, kmg, cdb, china})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64][]string{
		citic: {"caspi-bitum-expansion PARTNER", "karazhambas-field PARTNER"},
		kmg:   {"caspi-bitum-expansion PARTNER", "karazhambas-field PARTNER", "kmg-cnooc-exploration PARTNER"},
		cdb:   {"atyrau-ethane-propane-pipelines FINANCIER"},
	}
	if len(got) != len(want) {
		t.Errorf("keys = %v, want the three companies with projects", keys(got))
	}
	for id, parts := range got {
		var roles []string
		for _, p := range parts {
			if p.CompanyID != id {
				t.Errorf("participant %d of company %d has CompanyID %d", p.ID, id, p.CompanyID)
			}
			roles = append(roles, projectSlug(t, s, p.ProjectID)+" "+string(p.Role))
		}
		slices.Sort(roles)
		if !slices.Equal(roles, want[id]) {
			t.Errorf("company %d: %v, want %v", id, roles, want[id])
		}
	}
}

func TestStore_FindParticipantsByProjectIDs(t *testing.T) {
	s, _ := seededStore(t)
	caspi := projectID(t, s, "caspi-bitum-expansion")
	got, err := s.FindParticipantsByProjectIDs(t.Context(), []int64{caspi})
	if err != nil {
		t.Fatal(err)
	}
	var roles []string
	for _, p := range got[caspi] {
		if p.ProjectID != caspi {
			t.Errorf("participant %d has ProjectID %d, want %d", p.ID, p.ProjectID, caspi)
		}
		c, err := s.FindCompaniesByIDs(t.Context(), []int64{p.CompanyID})
		if err != nil {
			t.Fatal(err)
		}
		roles = append(roles, c[p.CompanyID].Slug+" "+string(p.Role))
	}
	// Three files report the same three roles; they are merged, not repeated.
	if want := []string{"caspi-bitum OPERATOR", "citic-group PARTNER", "kazmunaygas PARTNER"}; !slices.Equal(roles, want) {
		t.Errorf("participants = %v, want %v", roles, want)
	}
}

func TestStore_FindMeasurementsByProjectIDs(t *testing.T) {
	s, _ := seededStore(t)
	caspi, road := projectID(t, s, "caspi-bitum-expansion"), projectID(t, s, "taldykorgan-oskemen-highway")
	got, err := s.FindMeasurementsByProjectIDs(t.Context(), []int64{caspi, road, projectID(t, s, "copper-smelter")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := keys(got), []int64{caspi, road}; !slices.Equal(got, sorted(want)) {
		t.Errorf("keys = %v, want %v (the copper smelter has no figures)", got, sorted(want))
	}
	if got, want := len(got[road]), 5; got != want {
		t.Errorf("%d figures for the Taldykorgan-Oskemen highway, want %d", got, want)
	}
	var asOf []string
	for i, m := range got[caspi] {
		if m.ProjectID == nil || *m.ProjectID != caspi || m.CompanyID != nil {
			t.Errorf("figure %d: ProjectID %v CompanyID %v, want project %d only", m.ID, m.ProjectID, m.CompanyID, caspi)
		}
		asOf = append(asOf, m.AsOf.String()+" "+string(m.Status))
		if i == 0 {
			continue
		}
		prev := got[caspi][i-1]
		if prev.AsOf.Start() > m.AsOf.Start() {
			t.Errorf("figure %s listed after %s", m.AsOf, prev.AsOf)
		}
		if prev.AsOf == m.AsOf && prev.Status == "TARGET" && m.Status == "ACTUAL" {
			t.Errorf("at %s an ACTUAL figure follows a TARGET", m.AsOf)
		}
	}
	want := []string{
		"2023-10 ACTUAL", "2023-10 TARGET", "2023-10 TARGET",
		"2024-07 TARGET",
		"2024-08 ACTUAL", "2024-08 TARGET",
	}
	if !slices.Equal(asOf, want) {
		t.Errorf("Caspi Bitum figures in order:\n got %v\nwant %v", asOf, want)
	}
}

func TestStore_FindMeasurementsByCompanyIDs(t *testing.T) {
	s, _ := seededStore(t)
	cnpc := companyID(t, s, "cnpc")
	got, err := s.FindMeasurementsByCompanyIDs(t.Context(), []int64{cnpc})
	if err != nil {
		t.Fatal(err)
	}
	metrics := map[db.Metric]float64{}
	for _, m := range got[cnpc] {
		if m.CompanyID == nil || *m.CompanyID != cnpc || m.ProjectID != nil {
			t.Errorf("figure %d: CompanyID %v ProjectID %v, want company %d only", m.ID, m.CompanyID, m.ProjectID, cnpc)
		}
		metrics[m.Metric] = m.Value
	}
	for metric, value := range map[db.Metric]float64{"INVESTMENT": 45e9, "EMPLOYEES": 30000, "LOCAL_EMPLOYEE_SHARE": 98.3} {
		if got := metrics[metric]; got != value {
			t.Errorf("CNPC %s = %v, want %v", metric, got, value)
		}
	}
}

func TestStore_FindPositionsByOrganizationIDs(t *testing.T) {
	s, _ := seededStore(t)
	citic := companyID(t, s, "citic-group")
	got, err := s.FindPositionsByOrganizationIDs(t.Context(), []int64{citic})
	if err != nil {
		t.Fatal(err)
	}
	people, err := s.FindPeopleByIDs(t.Context(), personIDs(got[citic]))
	if err != nil {
		t.Fatal(err)
	}
	var list []string
	for _, p := range got[citic] {
		if p.OrganizationID != citic {
			t.Errorf("position %d has OrganizationID %d, want %d", p.ID, p.OrganizationID, citic)
		}
		list = append(list, p.ReportedOn.String()+" "+people[p.PersonID].Slug+" "+p.Title)
	}
	// In report order; a later title never overwrites an earlier one.
	want := []string{
		"2023-05-20 zhu-hexin Chairman",
		"2023-10-18 zhu-hexin Chairman",
		"2024-07-02 xi-guohua Chairman",
		"2024-08-22 xi-guohua Chairman of the Board of Directors",
	}
	if !slices.Equal(list, want) {
		t.Errorf("CITIC Group positions:\n got %v\nwant %v", list, want)
	}
}

func TestStore_FindMilestonesByProjectIDs(t *testing.T) {
	s, _ := seededStore(t)
	caspi, shymkent := projectID(t, s, "caspi-bitum-expansion"), projectID(t, s, "shymkent-refinery-expansion")
	got, err := s.FindMilestonesByProjectIDs(t.Context(), []int64{caspi, shymkent})
	if err != nil {
		t.Fatal(err)
	}
	var dates []string
	for _, m := range got[caspi] {
		if m.Date == nil {
			t.Fatalf("Caspi Bitum milestone %q has no date", m.Name)
		}
		dates = append(dates, m.Date.String()+" "+string(m.Status))
	}
	if want := []string{"2024-Q4 PLANNED", "2025-03 PLANNED"}; !slices.Equal(dates, want) {
		t.Errorf("Caspi Bitum milestones = %v, want %v", dates, want)
	}
	if got, want := len(got[shymkent]), 1; got != want {
		t.Fatalf("%d Shymkent milestones, want %d", got, want)
	}
	if d := got[shymkent][0].Date; d != nil {
		t.Errorf("Shymkent milestone date = %v, want nil (the article gives none)", d)
	}
}

func TestStore_FindAmountsByAgreementIDs(t *testing.T) {
	s, _ := seededStore(t)
	a, err := s.FindAgreementBySlug(t.Context(), "citic-five-documents-2023")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.FindAmountsByAgreementIDs(t.Context(), []int64{a.ID})
	if err != nil {
		t.Fatal(err)
	}
	var list []string
	sources := map[int64]bool{}
	for _, am := range got[a.ID] {
		if am.AgreementID == nil || *am.AgreementID != a.ID || am.ProjectID != nil {
			t.Errorf("amount %d: AgreementID %v ProjectID %v, want agreement %d only", am.ID, am.AgreementID, am.ProjectID, a.ID)
		}
		list = append(list, fmtAmount(am))
		sources[am.Citation.SourceID] = true
	}
	// Conflicting reports stay side by side.
	if want := []string{"2e+09 USD EXACT", "1.6e+09 USD AT_LEAST"}; !slices.Equal(list, want) {
		t.Errorf("amounts = %v, want %v", list, want)
	}
	if got, want := len(sources), 2; got != want {
		t.Errorf("the amounts cite %d sources, want %d", got, want)
	}
}

func TestStore_FindAliases(t *testing.T) {
	s, _ := seededStore(t)
	kmg, kz := companyID(t, s, "kazmunaygas"), companyID(t, s, "kaz-minerals")
	got, err := s.FindAliases(t.Context(), db.SubjectCompany, []int64{kmg, kz})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"KMG", "KazMunayGas National Company", "Kazmunaygas"}; !slices.Equal(got[kmg], want) {
		t.Errorf("KazMunayGas aliases = %q, want %q", got[kmg], want)
	}
	if _, ok := got[kz]; ok {
		t.Errorf("KAZ Minerals aliases = %q, want none", got[kz])
	}
	// Ids are per subject: the same number as a project id is another entity.
	projects, err := s.FindAliases(t.Context(), db.SubjectProject, []int64{kmg})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(projects[kmg], "KMG") {
		t.Errorf("project %d has KazMunayGas's aliases", kmg)
	}
}

func TestStore_FindCitations(t *testing.T) {
	s, d := seededStore(t)
	citic := db.SubjectKey{Subject: db.SubjectCompany, ID: companyID(t, s, "citic-group")}
	agreement, err := s.FindAgreementBySlug(t.Context(), "citic-five-documents-2023")
	if err != nil {
		t.Fatal(err)
	}
	five := db.SubjectKey{Subject: db.SubjectAgreement, ID: agreement.ID}
	// The same id under another subject is another list.
	other := db.SubjectKey{Subject: db.SubjectPerson, ID: citic.ID}

	t.Run("OK", func(t *testing.T) {
		got, err := s.FindCitations(t.Context(), []db.SubjectKey{citic, five, other})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []db.SubjectKey{citic, five, other} {
			if got, want := citationStrings(got[k]), citationStrings(datasetCitations(d, k)); !sameSet(got, want) {
				t.Errorf("%v citations = %v, want %v", k, got, want)
			}
		}
		published := map[int64]string{}
		for _, src := range d.Sources {
			published[src.ID] = src.PublishedOn.Start()
		}
		for i := 1; i < len(got[citic]); i++ {
			if a, b := published[got[citic][i-1].SourceID], published[got[citic][i].SourceID]; a > b {
				t.Errorf("citation of a source published %s listed after one published %s", b, a)
			}
		}
	})
	t.Run("OKDuplicateKeys", func(t *testing.T) {
		once, err := s.FindCitations(t.Context(), []db.SubjectKey{citic})
		if err != nil {
			t.Fatal(err)
		}
		twice, err := s.FindCitations(t.Context(), []db.SubjectKey{citic, citic})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(twice[citic]), len(once[citic]); got != want {
			t.Errorf("asking for a key twice gave %d citations, once %d", got, want)
		}
	})
}
