package cli

import (
	"errors"
	"flag"
	"fmt"
	"github.com/docket-dev/docket/internal/store"
	"io"
	"strconv"
	"strings"
	"time"
)

// errUsage means the command line was wrong and the message is already printed.
var errUsage = errors.New("usage")

// flags is a flag set whose flags may fall back to environment variables, and whose help
// says so.
type flags struct {
	*flag.FlagSet
	e        *env
	synopsis string
	about    string
	envs     map[string]string // flag name → env variable
	errs     []string          // bad environment values, reported at parse
	pos      []string          // the positional arguments, once parsed
}

func newFlags(e *env, name, synopsis, about string) *flags {
	fs := &flags{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), e: e, synopsis: synopsis, about: about, envs: map[string]string{}}
	fs.SetOutput(io.Discard)
	return fs
}

// dbFlag adds --db, which every command takes.
func (fs *flags) dbFlag(p *string) {
	fs.stringEnv(p, "db", "DOCKET_DB", "docket.db", "the database: a file path or sqlite:PATH (SQLite), or postgres://USER@HOST/DB")
}

func (fs *flags) stringEnv(p *string, name, envName, def, usage string) {
	if v := fs.e.getenv(envName); v != "" {
		def = v
	}
	fs.StringVar(p, name, def, usage)
	fs.envs[name] = envName
}

func (fs *flags) boolEnv(p *bool, name, envName string, usage string) {
	def := false
	if v := fs.e.getenv(envName); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fs.errs = append(fs.errs, fmt.Sprintf("%s=%q must be true or false (1 or 0)", envName, v))
		}
		def = b
	}
	fs.BoolVar(p, name, def, usage)
	fs.envs[name] = envName
}

func (fs *flags) intEnv(p *int, name, envName string, def int, usage string) {
	if v := fs.e.getenv(envName); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			fs.errs = append(fs.errs, fmt.Sprintf("%s=%q must be a whole number", envName, v))
		} else {
			def = n
		}
	}
	fs.IntVar(p, name, def, usage)
	fs.envs[name] = envName
}

func (fs *flags) durationEnv(p *time.Duration, name, envName string, def time.Duration, usage string) {
	if v := fs.e.getenv(envName); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			fs.errs = append(fs.errs, fmt.Sprintf("%s=%q must be a duration such as 30s or 5m", envName, v))
		} else {
			def = d
		}
	}
	fs.DurationVar(p, name, def, usage)
	fs.envs[name] = envName
}

// parse parses args; --help prints the help to stdout and returns flag.ErrHelp; a bad flag
// prints what is wrong and how to get help, and returns errUsage. Flags may come before,
// between or after the positional arguments (`statement show 1 --json`), as people type
// them; `--` ends the flags, and what follows it is positional even if it starts with -.
func (fs *flags) parse(args []string) error {
	flagArgs, pos := fs.split(args)
	fs.pos = pos
	err := fs.Parse(flagArgs)
	if errors.Is(err, flag.ErrHelp) {
		fs.usage(fs.e.stdout)
		return flag.ErrHelp
	}
	if err != nil {
		return fs.fail("%v", err)
	}
	if len(fs.errs) > 0 {
		return fs.fail("%s", strings.Join(fs.errs, "; "))
	}
	return nil
}

// split separates flags (with the values of those that take one) from positional arguments.
// Go's flag package stops at the first positional argument; reading the flag definitions
// here lets a flag anywhere on the line count. A word that only looks like a flag's value
// (the one after --db) is never taken for a positional argument, and an unknown flag is
// left to Parse, which reports it.
func (fs *flags) split(args []string) (flagArgs, pos []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flagArgs, append(pos, args[i+1:]...)
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a) // "-" alone is a positional argument: standard input
			continue
		}
		flagArgs = append(flagArgs, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			i++
			flagArgs = append(flagArgs, args[i])
		}
	}
	return flagArgs, pos
}

// Args returns the positional arguments parse found.
func (fs *flags) Args() []string { return fs.pos }

// fail prints a usage error and returns errUsage.
func (fs *flags) fail(format string, args ...any) error {
	fmt.Fprintf(fs.e.stderr, "docket %s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fmt.Fprintf(fs.e.stderr, "Run 'docket %s --help' for usage.\n", fs.Name())
	return errUsage
}

// args checks the count of positional arguments.
func (fs *flags) args(min, max int) ([]string, error) {
	a := fs.Args()
	if len(a) < min || (max >= 0 && len(a) > max) {
		return nil, fs.fail("usage: %s", strings.TrimSpace("docket "+fs.Name()+" "+fs.synopsis))
	}
	return a, nil
}

func (fs *flags) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s\n\n", strings.TrimSpace("docket "+fs.Name()+" "+fs.synopsis))
	if fs.about != "" {
		fmt.Fprintf(w, "%s\n\n", fs.about)
	}
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		fmt.Fprintln(w, "It takes no flags and no arguments.")
		return
	}
	fmt.Fprintln(w, "Flags:")
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		fmt.Fprintln(w, line)
		extra := []string{}
		if env, ok := fs.envs[f.Name]; ok {
			extra = append(extra, "env "+env)
		}
		if def := f.DefValue; def != "" && def != "false" && def != "0" {
			// A default may come from the environment: never print a secret in help.
			switch {
			case strings.Contains(f.Name, "token") || strings.Contains(f.Name, "password"):
				def = "set"
			case f.Name == "db":
				def = store.Redact(def)
			}
			extra = append(extra, "default "+def)
		}
		if len(extra) > 0 {
			usage += " (" + strings.Join(extra, "; ") + ")"
		}
		fmt.Fprintf(w, "        %s\n", usage)
	})
}
