package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// attacks are the attacker's queries, each of a size n the harness lowers
// until the server accepts it. money repeats a summary of every amount of
// the graph under n aliases, each as of a different month: priced by the
// rows it reads. hub asks for the first n projects, their participants and
// the participants' projects: priced by what most companies take part in,
// and paid for by the hubs among them, up to the object limit.
var attacks = map[string]struct {
	max   int
	query func(n int) string
}{
	"money": {30, func(n int) string {
		fields := make([]string, n)
		for i := range fields {
			fields[i] = fmt.Sprintf(`a%d: asOf(date: "%d-%02d") { aggregates { money(groupBy: COMPANY) { total groups { key total } } } }`,
				i, 2024-i/12, 12-i%12)
		}
		return "{ " + strings.Join(fields, " ") + " }"
	}},
	"hub": {100, func(n int) string {
		return fmt.Sprintf(`{ projects(first: %d) { edges { node { participants { company { projects { project { name } } } } } } } }`, n)
	}},
}

func attackNames() []string { return slices.Sorted(maps.Keys(attacks)) }

// attackQuery is the attacker's document.
type attackQuery struct {
	text string
	size int
}

// fitAttack returns the largest attack, up to its size -size, that the
// server runs (within its cost and object limits), and its cost; it asks as
// a new client each time, so that neither the victim nor the attackers pay.
func fitAttack(ctx context.Context, c config) (attackQuery, result, error) {
	a := attacks[c.attack]
	n := a.max
	if c.size > 0 {
		n = c.size
	}
	for n > 0 {
		q := attackQuery{text: a.query(n), size: n}
		probe := newClient(c.url, c.identity, fmt.Sprintf("probe-%d-%d", os.Getpid(), n))
		r, err := probe.do(ctx, q.text)
		if err != nil {
			return q, r, err
		}
		switch {
		case r.status == 200 && r.code == "":
			return q, r, nil
		case r.code == "COST_LIMIT_EXCEEDED" || r.code == "OBJECT_LIMIT_EXCEEDED":
			n = min(n-1, n*9/10)
		default:
			return q, r, fmt.Errorf("the attack query of size %d: status %d, %s", n, r.status, r.code)
		}
	}
	return attackQuery{}, result{}, errors.New("the server refuses even the smallest attack query")
}

// attackStats counts the attacker's responses.
type attackStats struct {
	ok, refused, other int
	actualCost         int
	codes              map[string]int
}

func (s attackStats) refusedCodes() string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(s.codes)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, s.codes[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// attack sends query on conns connections until ctx ends, pausing after a
// refusal only for pause, whatever Retry-After said.
func attack(ctx context.Context, cl *client, query string, conns int, pause time.Duration) attackStats {
	var (
		mu sync.Mutex
		st = attackStats{codes: map[string]int{}}
		wg sync.WaitGroup
	)
	for range conns {
		wg.Go(func() {
			for ctx.Err() == nil {
				r, err := cl.do(ctx, query)
				mu.Lock()
				switch {
				case err != nil:
					if ctx.Err() == nil {
						st.other++
					}
				case r.status == 200 && r.code == "":
					st.ok++
					st.actualCost += r.actualCost
				case r.status == 429 || r.status == 503:
					st.refused++
					st.codes[r.code]++
				default:
					st.other++
					st.codes[r.code]++
				}
				mu.Unlock()
				if err != nil || r.status != 200 {
					select {
					case <-ctx.Done():
					case <-time.After(pause):
					}
				}
			}
		})
	}
	wg.Wait()
	return st
}
