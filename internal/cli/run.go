// Package cli is Docket's command line: one file per subcommand, flags with environment
// fallbacks, progress on a terminal, and exit codes. Run is the whole program; main only
// calls it, and tests call it too.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
)

// Version is the binary's version, set at build time with
// -ldflags "-X github.com/docket-dev/docket/internal/cli.Version=v1.2.3".
var Version = ""

// version returns Version, or the module version and VCS revision Go recorded.
func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		if v == "(devel)" {
			v = "dev" // a build from a checkout, as ingest names it in the User-Agent
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return v + "+" + s.Value[:12]
			}
		}
		if v != "" {
			return v
		}
	}
	return "dev"
}

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the command failed
	exitUsage = 2 // the command line was wrong
)

// env is what a command may use of the outside world.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand, or a group of them.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
	sub     []*command
}

func commands() []*command {
	return []*command{
		{name: "serve", summary: "serve the web pages and API, and fetch sources in the background", run: runServe},
		{name: "migrate", summary: "bring the database schema up to date", run: runMigrate},
		{name: "ingest", summary: "fetch the due sources once, store their items, and exit", run: runIngest},
		{name: "source", summary: "manage sources", sub: []*command{
			{name: "add", summary: "add a feed (or a Parliament member's record)", run: runSourceAdd},
			{name: "list", summary: "list sources with their health", run: runSourceList},
			{name: "import", summary: "add the feeds of an OPML file", run: runSourceImport},
			{name: "export", summary: "write every source as OPML to standard output", run: runSourceExport},
		}},
		{name: "topic", summary: "manage topics", sub: []*command{
			{name: "add", summary: "add a topic with its rule", run: runTopicAdd},
			{name: "list", summary: "list topics", run: runTopicList},
			{name: "set-rule", summary: "change a topic's rule and re-match stored items", run: runTopicSetRule},
		}},
		{name: "member", summary: "manage the members (MPs) whose statements Docket tracks", sub: []*command{
			{name: "add", summary: "add a member", run: runMemberAdd},
			{name: "list", summary: "list members", run: runMemberList},
			{name: "find", summary: "find a member's Parliament id by name", run: runMemberFind},
		}},
		{name: "statement", summary: "import, list and show statements", sub: []*command{
			{name: "import", summary: "import a statement from a file, a web page or standard input", run: runStatementImport},
			{name: "list", summary: "list statements, or the stale ones", run: runStatementList},
			{name: "show", summary: "show a statement with its evidence and staleness", run: runStatementShow},
		}},
		{name: "user", summary: "manage users", sub: []*command{
			{name: "add", summary: "add a user who can sign in to the office", run: runUserAdd},
		}},
		{name: "bench", summary: "measure ingest, matching, pages, evidence and memory on a generated corpus", run: runBench},
		{name: "version", summary: "print the version", run: runVersion},
	}
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "version", "", "Prints the version of this docket binary.")
	if err := fs.parse(args); err != nil {
		return err
	}
	if _, err := fs.args(0, 0); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "docket", version())
	return nil
}

// Run runs the docket command line and returns its exit code.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	return dispatch(ctx, e, "docket", commands(), args)
}

func dispatch(ctx context.Context, e *env, path string, cmds []*command, args []string) int {
	if len(args) == 0 || isHelp(args[0]) {
		w := e.stdout
		code := exitOK
		if len(args) == 0 {
			w, code = e.stderr, exitUsage
		}
		groupUsage(w, path, cmds)
		return code
	}
	var cmd *command
	for _, c := range cmds {
		if c.name == args[0] {
			cmd = c
		}
	}
	if cmd == nil {
		fmt.Fprintf(e.stderr, "%s: unknown command %q\n", path, args[0])
		if s := suggest(args[0], cmds); s != "" {
			fmt.Fprintf(e.stderr, "Did you mean %q?\n", s)
		}
		fmt.Fprintf(e.stderr, "Run '%s --help' for the list of commands.\n", path)
		return exitUsage
	}
	if cmd.sub != nil {
		return dispatch(ctx, e, path+" "+cmd.name, cmd.sub, args[1:])
	}
	err := cmd.run(ctx, e, args[1:])
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errUsage):
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "%s %s: %s\n", path, cmd.name, oneLine(err))
	if docket.ErrorCode(err) == docket.EINVALID {
		var fe *docket.Error
		if errors.As(err, &fe) && fe.Field != "" {
			return exitUsage
		}
	}
	return exitError
}

func isHelp(a string) bool { return a == "-h" || a == "--help" || a == "-help" || a == "help" }

func groupUsage(w io.Writer, path string, cmds []*command) {
	fmt.Fprintf(w, "Usage: %s <command> [flags]\n\nCommands:\n", path)
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun '%s <command> --help' for a command's flags.\n", path)
}

// suggest returns the command closest to a mistyped one, if any is close.
func suggest(s string, cmds []*command) string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	for _, c := range cmds {
		if d := distance(s, c.name); d <= 2 {
			cs = append(cs, cand{c.name, d})
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	if len(cs) == 0 {
		return ""
	}
	return cs[0].name
}

// distance is the Levenshtein distance of two short words.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// oneLine makes sure an error prints as one line. Field errors collected together are all
// printed, where Errors' own message names the first and counts the rest (a form shows each
// beside its field; a command line has only this line to say them).
func oneLine(err error) string {
	s := err.Error()
	var es docket.Errors
	if errors.As(err, &es) && len(es) > 1 {
		msgs := make([]string, len(es))
		for i, e := range es {
			msgs[i] = e.Message
		}
		s = strings.Join(msgs, "; ")
	}
	s = strings.ReplaceAll(s, "\r", " ")
	return strings.ReplaceAll(s, "\n", "; ")
}
