// Command hjp builds the Health Justice Partnerships site from content/.
//
//	hjp build [--source DIR] [--dest DIR] [--base-url URL] [--minify=false] [--drafts] [--strict]
//	hjp check [--source DIR] [--base-url URL] [--drafts] [--strict]
//	hjp serve [--source DIR] [--port 1313] [--bind 127.0.0.1] [--drafts] [--open] [--poll DURATION]
//	hjp new KIND "Title" [--source DIR]
//	hjp version
//	hjp help
//
// Exit codes: 0 success, 1 content or theme errors, 2 usage errors.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"

	"hjp/internal/build"
	"hjp/internal/diag"
)

const (
	exitOK      = 0
	exitContent = 1
	exitUsage   = 2
)

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "build" || os.Args[1] == "check") {
		contentRead = tuneGC(os.Getenv)
		reserveHugeHeap(os.Getenv)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

const usage = `hjp builds the Health Justice Partnerships site from Markdown.

Usage:
  hjp build [flags]    build the site into public/ (replaced only on success)
  hjp check [flags]    do everything build does except writing; report problems
  hjp serve [flags]    preview the site at http://127.0.0.1:1313/, rebuilding and
                       reloading open pages on every save (nothing is written)
  hjp new KIND "Title" scaffold a content file from the theme's archetype
                       (KIND: chapter, funding-model, funding-chapter,
                       case-study, finding, recommendation, page), with the
                       next free ID and today's date; never overwrites
  hjp version          print the version
  hjp help             print this help

Flags of build and check:
  --source DIR         site root holding content/ and themes/ (default ".")
  --dest DIR           output folder (build only; default "public" under the source)
  --base-url URL       absolute URL the site is served from (default: Netlify's
                       URL or DEPLOY_PRIME_URL, then base_url in site.yaml)
  --minify=false       build only: leave HTML, CSS, JS, JSON, SVG and XML
                       unminified, to read the output (default: minify)
  --drafts             include pages with draft: true
  --strict             treat warnings as errors

Flags of serve:
  --source DIR         site root holding content/ and themes/ (default ".")
  --port N             port to listen on (default 1313, or the next free one)
  --bind ADDR          address to listen on (default 127.0.0.1: this machine only)
  --drafts             include pages with draft: true
  --open               open the preview in the default browser
  --poll DURATION      check for changes every DURATION (like 700ms) instead of
                       waiting for file events: for WSL with Windows drives,
                       network shares and containers where saves go unnoticed

Exit status: 0 success, 1 content or theme errors, 2 usage errors.
`

func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "build", "check":
		return runBuild(args[0], args[1:], stdout, stderr, getenv)
	case "serve":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return runServe(ctx, args[1:], stdout, stderr, getenv)
	case "new":
		return runNew(args[1:], stdout, stderr, getenv)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, version())
		return exitOK
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "hjp: unknown command %q%s\n\n%s", args[0], diag.DidYouMean(args[0], []string{"build", "check", "serve", "new", "version", "help"}), usage)
	return exitUsage
}

func runBuild(cmd string, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	opts := build.Options{Getenv: getenv, ContentRead: contentRead}
	fs.StringVar(&opts.Source, "source", ".", "")
	if cmd == "build" {
		fs.StringVar(&opts.Dest, "dest", "", "")
		fs.BoolVar(&opts.Minify, "minify", true, "")
	}
	fs.StringVar(&opts.BaseURL, "base-url", "", "")
	fs.BoolVar(&opts.Drafts, "drafts", false, "")
	fs.BoolVar(&opts.Strict, "strict", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return exitOK
		}
		fmt.Fprintf(stderr, "hjp %s: %v\n\n%s", cmd, err, usage)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hjp %s: unexpected argument %q\n\n%s", cmd, fs.Arg(0), usage)
		return exitUsage
	}
	if opts.BaseURL != "" && !strings.HasPrefix(opts.BaseURL, "http://") && !strings.HasPrefix(opts.BaseURL, "https://") {
		fmt.Fprintf(stderr, "hjp %s: --base-url must be an absolute http(s) URL, not %q\n", cmd, opts.BaseURL)
		return exitUsage
	}
	if st, err := os.Stat(opts.Source); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "hjp %s: --source %q is not a folder\n", cmd, opts.Source)
		return exitUsage
	}
	if path := getenv("HJP_CPUPROFILE"); path != "" {
		stop, err := startCPUProfile(path)
		if err != nil {
			fmt.Fprintf(stderr, "hjp %s: HJP_CPUPROFILE: %v\n", cmd, err)
			return exitUsage
		}
		defer stop()
	}
	var res build.Result
	verb := "built"
	if cmd == "check" {
		res = build.Check(opts)
		verb = "checked"
	} else {
		res = build.Build(opts)
	}
	diag.Print(stderr, res.Diags)
	if res.Failed() {
		fmt.Fprintln(stderr, res.Summary(cmd+" failed:"))
		if cmd == "build" {
			fmt.Fprintf(stderr, "%s was left as it was.\n", opts.DestDir())
		}
		return exitContent
	}
	fmt.Fprintln(stdout, res.Summary(verb))
	return exitOK
}

func version() string {
	v := "(devel)"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "hjp " + v
	}
	if info.Main.Version != "" {
		v = info.Main.Version
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v += " " + rev
		if dirty {
			v += "+dirty"
		}
	}
	return "hjp " + v + " " + info.GoVersion
}

// startCPUProfile writes a CPU profile of the build to path (HJP_CPUPROFILE,
// for the performance work: go tool pprof -top hjp path).
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
