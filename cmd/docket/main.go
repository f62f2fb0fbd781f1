// Command docket tracks public-affairs topics for an MP's office, researchers and the public.
// Everything it does lives in internal/cli, so tests can run it in-process.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // dates are shown in Europe/London even where the system has no zone files

	"github.com/docket-dev/docket/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
