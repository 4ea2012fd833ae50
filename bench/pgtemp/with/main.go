// Command with runs a command with a throwaway PostgreSQL cluster: it
// starts one (see pgtemp), sets INVESTGRAPH_TEST_POSTGRES to its address,
// runs the command, stops the cluster and exits with the command's status.
//
//	go run ./bench/pgtemp/with -- go test ./...
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"

	"github.com/investgraph/investgraph/bench/pgtemp"
	"github.com/investgraph/investgraph/db/dbtest"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./bench/pgtemp/with -- COMMAND [ARGS...]")
		os.Exit(2)
	}
	os.Exit(run(args))
}

// run runs the command args with a cluster and returns its exit status.
func run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var log bytes.Buffer
	c, err := pgtemp.Start(ctx, pgtemp.Options{Log: &log})
	if err != nil {
		os.Stderr.Write(log.Bytes())
		fmt.Fprintf(os.Stderr, "with: start PostgreSQL: %v\n", err)
		return 1
	}
	defer func() {
		if err := c.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "with: stop PostgreSQL: %v\n", err)
		}
	}()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), dbtest.EnvPostgres+"="+c.DSN("postgres"))
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	default:
		fmt.Fprintf(os.Stderr, "with: %v\n", err)
		return 1
	}
}
