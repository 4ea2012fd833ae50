package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/investgraph/investgraph/db"
)

const tokenUsage = `Usage:
  investgraph token create -name NAME -role reader|editor|admin [-db FILE|URL]
  investgraph token list [-db FILE|URL]
  investgraph token revoke [-db FILE|URL] NAME

create prints the new token once: only its hash is stored, so copy it now.
Send it as "Authorization: Bearer TOKEN". A revoked token's name stays
taken, because revisions name their author by it.
`

// runToken creates, lists and revokes API tokens in the database.
func runToken(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		fmt.Fprint(stdout, tokenUsage)
		return nil
	}
	verb, args := args[0], args[1:]
	fs := flag.NewFlagSet("investgraph token "+verb, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dbPath := fs.String("db", "investgraph.db", "SQLite database file or postgres:// URL")
	var name, role string
	if verb == "create" {
		fs.StringVar(&name, "name", "", "the token's name, recorded as the author of its revisions")
		fs.StringVar(&role, "role", "reader", "reader, editor or admin")
	}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, tokenUsage)
		return nil
	} else if err != nil {
		return fmt.Errorf("token %s: %w (investgraph token -h shows the usage)", verb, err)
	}
	switch verb {
	case "create", "list":
		if fs.NArg() > 0 {
			return fmt.Errorf("token %s: unexpected arguments %q", verb, fs.Args())
		}
	case "revoke":
		if fs.NArg() != 1 {
			return errors.New("token revoke: give the name of one token, e.g. investgraph token revoke alice")
		}
		name = fs.Arg(0)
	default:
		return fmt.Errorf("token %s: unknown subcommand; want create, list or revoke", verb)
	}
	path, err := sqliteLocation("-db", *dbPath)
	if err != nil {
		return fmt.Errorf("token %s: %w", verb, err)
	}
	*dbPath = path
	var r db.Role
	if verb == "create" {
		if name == "" {
			return errors.New("token create: -name is required")
		}
		var err error
		if r, err = db.ParseRole(role); err != nil {
			return fmt.Errorf("token create: -role: %w", err)
		}
	}
	store, err := openPlain(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	switch verb {
	case "create":
		secret, err := store.CreateToken(ctx, name, r)
		if err != nil {
			return fmt.Errorf("token create: %w", err)
		}
		fmt.Fprintln(stdout, secret)
	case "list":
		tokens, err := store.FindTokens(ctx)
		if err != nil {
			return fmt.Errorf("token list: %w", err)
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "NAME\tROLE\tCREATED\tREVOKED")
		for _, t := range tokens {
			revoked := "-"
			if t.RevokedAt != nil {
				revoked = t.RevokedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", t.Name, t.Role, t.CreatedAt.Format(time.RFC3339), revoked)
		}
		return w.Flush()
	case "revoke":
		if err := store.RevokeToken(ctx, name); err != nil {
			return fmt.Errorf("token revoke: %w", err)
		}
		fmt.Fprintf(stdout, "revoked %s\n", name)
	}
	return nil
}
