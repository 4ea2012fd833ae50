package main

import (
	"fmt"
	"strconv"
	"strings"
)

// Word lists the synthetic names are built from. They imitate the names of
// the seed's articles (Kazakh and Chinese companies, officials and places)
// without naming anything real.
var (
	syllables = []string{"al", "ak", "tau", "kar", "sa", "bek", "zhan", "tal", "nur", "kyz", "ord", "ur",
		"hua", "xin", "tai", "shan", "long", "heng", "feng", "rong", "da", "jin", "min", "yuan"}
	companyWords = []string{"Energy", "Petro", "Mining", "Metals", "Holding", "Invest", "Construction",
		"Engineering", "Logistics", "Power", "Chemical", "Capital", "Digital", "Agro", "Gas", "Rail", "Steel"}
	companySuffixes = []string{"LLP", "JSC", "Co., Ltd.", "Group", "Corporation", "LLC", "Partners"}
	givenNames      = []string{"Aidar", "Asel", "Bauyrzhan", "Dana", "Yerlan", "Gulnara", "Kairat", "Madina",
		"Nurlan", "Saule", "Timur", "Zhanna", "Wei", "Li", "Jun", "Mei", "Hao", "Yan", "Qiang", "Lei"}
	familyNames = []string{"Abenov", "Bekova", "Dzhaksybekov", "Ermekova", "Iskakov", "Kuanysheva",
		"Mukanov", "Nurpeisova", "Omarov", "Sarsenova", "Wang", "Zhang", "Liu", "Chen", "Yang", "Zhao",
		"Huang", "Zhou", "Wu", "Xu"}
	regions = []string{"Atyrau Region", "Mangystau Region", "Pavlodar Region", "Karaganda Region",
		"Aktobe Region", "East Kazakhstan Region", "Zhambyl Region", "Turkistan Region", "Kyzylorda Region",
		"Kostanay Region", "Almaty Region", "Abai Region", "Ulytau Region", "Zhetysu Region"}
	projectKinds = []string{"plant", "refinery", "pipeline", "wind farm", "solar park", "power station",
		"highway section", "railway line", "mine", "processing complex", "logistics hub", "data centre"}
	cities = []string{"Astana", "Almaty", "Beijing", "Shanghai", "Urumqi", "Atyrau", "Aktau", "Shymkent",
		"Xi'an", "Karaganda", "Pavlodar", "Guangzhou"}
	titles = []string{"Chairman", "Chief Executive", "Deputy Chairman", "President", "Minister",
		"Deputy Minister", "General Manager", "Managing Director", "Ambassador", "Governor"}
	topicWords = []string{"energy", "oil refining", "gas supply", "transport corridors", "digital economy",
		"mining", "agriculture", "finance", "renewables", "logistics", "petrochemicals", "education"}
	occasions = []string{"state visit", "business forum", "working visit", "intergovernmental commission",
		"investment roundtable", "expo"}
	units = map[string]string{"PRODUCTION_CAPACITY": "t/yr", "PROCESSING_CAPACITY": "t/yr",
		"POWER_CAPACITY": "MW", "HEAT_CAPACITY": "Gcal/h", "THROUGHPUT_CAPACITY": "bcm/yr"}
)

// word makes a capitalized word of two or three syllables.
func (g *generator) word() string {
	var b strings.Builder
	for i := range 2 + g.r.IntN(2) {
		s := syllables[g.r.IntN(len(syllables))]
		if i == 0 {
			s = strings.ToUpper(s[:1]) + s[1:]
		}
		b.WriteString(s)
	}
	return b.String()
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) companyName() string {
	return g.word() + " " + g.pick(companyWords) + " " + g.pick(companySuffixes)
}

func (g *generator) personName() string {
	return g.pick(givenNames) + " " + g.pick(familyNames)
}

func (g *generator) projectName() string {
	return g.word() + " " + g.pick(projectKinds)
}

// slug makes a unique slug from a name and an id. The id comes first, in
// fixed width, so that slugs sort like ids and the bulk load appends to the
// slug index instead of inserting all over it.
func slug(name string, id int64) string {
	var b strings.Builder
	b.WriteString(fmt.Sprintf("s%07s", strconv.FormatInt(id, 36)))
	dash := true
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}
