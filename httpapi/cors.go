package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/rs/cors"

	"github.com/investgraph/investgraph/db"
)

// ParseOrigins splits a comma-separated list of the origins browsers may
// call the API from, as Options.CORSOrigins takes them, and checks each: an
// origin is scheme://host[:port] with scheme http or https and nothing after
// the host or port, not even a "/"; "*" allows every origin, and one "*" in
// the host makes a pattern, as in https://*.example.com.
func ParseOrigins(list string) ([]string, error) {
	var origins []string
	for _, o := range strings.Split(list, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	return origins, checkOrigins(origins)
}

// checkOrigins returns the error of the first origin that is not one.
func checkOrigins(origins []string) error {
	for _, o := range origins {
		if err := checkOrigin(o); err != nil {
			return err
		}
	}
	return nil
}

// wildcardHost stands in for the "*" of a pattern while it is parsed as a
// URL.
const wildcardHost = "wildcard0host"

// checkOrigin explains why o is not an origin or an origin pattern, with
// the origin it most likely means.
func checkOrigin(o string) error {
	if o == "*" {
		return nil
	}
	bad := func(reason, example string) error {
		return fmt.Errorf("%s is not an origin: %s; want scheme://host[:port], e.g. %s", db.Quote(o), reason, example)
	}
	scheme, rest, ok := strings.Cut(o, "://")
	if !ok {
		return bad("it has no scheme", exampleOrigin("", o))
	}
	if strings.Count(o, "*") > 1 {
		return bad("it has more than one *", "https://*.example.com")
	}
	u, err := url.Parse(strings.Replace(o, "*", wildcardHost, 1))
	if err != nil {
		return bad("it is not a URL", exampleOrigin(scheme, rest))
	}
	host := strings.Replace(u.Host, wildcardHost, "*", 1)
	switch {
	case u.Host == "":
		return bad("it has no host", "https://app.example.com")
	case strings.Contains(o, "*") && !strings.Contains(u.Hostname(), wildcardHost):
		return bad("a * may only stand for part of the host", "https://*.example.com")
	case scheme != "http" && scheme != "https":
		return bad("its scheme is not http or https", exampleOrigin("", host))
	case u.User != nil:
		return bad("it has a user name", scheme+"://"+u.Hostname())
	case u.Path == "/" && u.RawQuery == "" && u.Fragment == "":
		return bad("it ends in /", scheme+"://"+host)
	case u.Path != "" || u.RawPath != "":
		return bad("it has a path", scheme+"://"+host)
	case u.RawQuery != "" || u.ForceQuery:
		return bad("it has a query", scheme+"://"+host)
	case u.Fragment != "" || strings.HasSuffix(o, "#"):
		return bad("it has a fragment", scheme+"://"+host)
	}
	return nil
}

// exampleOrigin returns the origin hostport most likely means: http for
// local addresses, https for others.
func exampleOrigin(scheme, hostport string) string {
	hostport, _, _ = strings.Cut(hostport, "/")
	if scheme != "http" && scheme != "https" {
		host := hostport
		if h, _, err := net.SplitHostPort(hostport); err == nil {
			host = h
		}
		scheme = "https"
		if host == "localhost" || strings.HasSuffix(host, ".localhost") || net.ParseIP(strings.Trim(host, "[]")) != nil {
			scheme = "http"
		}
	}
	return scheme + "://" + hostport
}

// originSet matches origins as rs/cors matches AllowedOrigins: ignoring
// case, "*" for all, and a pattern's "*" for any run of characters.
type originSet struct {
	all      bool
	exact    []string
	patterns [][2]string // prefix, suffix
}

func newOriginSet(origins []string) originSet {
	var s originSet
	for _, o := range origins {
		o = strings.ToLower(o)
		if o == "*" {
			s.all = true
		} else if prefix, suffix, ok := strings.Cut(o, "*"); ok {
			s.patterns = append(s.patterns, [2]string{prefix, suffix})
		} else {
			s.exact = append(s.exact, o)
		}
	}
	return s
}

func (s originSet) allows(origin string) bool {
	if s.all {
		return true
	}
	origin = strings.ToLower(origin)
	for _, o := range s.exact {
		if o == origin {
			return true
		}
	}
	for _, p := range s.patterns {
		if len(origin) >= len(p[0])+len(p[1]) && strings.HasPrefix(origin, p[0]) && strings.HasSuffix(origin, p[1]) {
			return true
		}
	}
	return false
}

// corsRefusal marks a request from an origin the API does not allow, for
// its log line: the browser will hide the response from the page, so the
// request is logged as refused however the server answered it.
type corsRefusal struct {
	origin string
	logged bool // by the GraphQL request's own log line
}

type corsRefusalKey struct{}

// refusedOrigin returns the refusal of a request from an origin not
// allowed, marking it logged, or nil.
func refusedOrigin(ctx context.Context) *corsRefusal {
	ref, _ := ctx.Value(corsRefusalKey{}).(*corsRefusal)
	if ref != nil {
		ref.logged = true
	}
	return ref
}

// withCORS lets browsers on the configured origins call the API. Without
// origins there is no CORS at all: browsers then allow only same-origin
// calls. A request from any other origin is logged as refused, preflight or
// not, with the flag that would allow it.
func (g *Gateway) withCORS(next http.Handler) http.Handler {
	allowed := newOriginSet(g.opts.CORSOrigins)
	h := next
	if len(g.opts.CORSOrigins) > 0 {
		h = cors.New(cors.Options{
			AllowOriginFunc: allowed.allows,
			AllowedMethods:  []string{http.MethodGet, http.MethodPost},
			AllowedHeaders:  []string{"Content-Type", "Accept", "Authorization", "X-Request-Id"},
			ExposedHeaders:  []string{"X-Request-Id", "Retry-After"},
			MaxAge:          600,
		}).Handler(next)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || allowed.allows(origin) || sameOrigin(r, origin) {
			h.ServeHTTP(w, r)
			return
		}
		ref := &corsRefusal{origin: origin}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), corsRefusalKey{}, ref)))
		if !ref.logged {
			g.logger.LogAttrs(r.Context(), slog.LevelWarn, "cross-origin request refused",
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Bool("preflight", r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""),
				slog.String("origin", loggedOrigin(origin)), slog.String("hint", g.corsHint(origin)))
		}
	})
}

// sameOrigin reports whether origin is the request's own, as when GraphiQL
// served at / posts to /graphql: browsers send an Origin header then too.
func sameOrigin(r *http.Request, origin string) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

// maxOriginLog is the longest Origin header logged whole; a real origin is
// far shorter.
const maxOriginLog = 300

// loggedOrigin is origin as a log line shows it.
func loggedOrigin(origin string) string {
	if len(origin) > maxOriginLog {
		return cut(origin)
	}
	return origin
}

// corsHint says how to allow origin.
func (g *Gateway) corsHint(origin string) string {
	if len(origin) > maxOriginLog || checkOrigin(origin) != nil || origin == "*" {
		return "-cors-origins cannot allow it: it is not an http or https origin"
	}
	return "allow it with -cors-origins " + strings.Join(append(slices.Clone(g.opts.CORSOrigins), origin), ",")
}
