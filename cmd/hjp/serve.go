package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"time"

	"hjp/internal/build"
	"hjp/internal/server"
)

// runServe parses serve's flags and runs the preview until ctx is done
// (Ctrl-C).
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	opts := server.Options{Build: build.Options{Getenv: getenv}, Out: stdout, Err: stderr}
	fs.StringVar(&opts.Build.Source, "source", ".", "")
	fs.IntVar(&opts.Port, "port", server.DefaultPort, "")
	fs.StringVar(&opts.Bind, "bind", "127.0.0.1", "")
	fs.BoolVar(&opts.Build.Drafts, "drafts", false, "")
	open := fs.Bool("open", false, "")
	fs.DurationVar(&opts.Poll, "poll", 0, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return exitOK
		}
		fmt.Fprintf(stderr, "hjp serve: %v\n\n%s", err, usage)
		return exitUsage
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "port" {
			opts.PortSet = true
		}
	})
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hjp serve: unexpected argument %q\n\n%s", fs.Arg(0), usage)
		return exitUsage
	}
	if opts.Port < 1 || opts.Port > 65535 {
		fmt.Fprintf(stderr, "hjp serve: --port must be between 1 and 65535, not %d\n", opts.Port)
		return exitUsage
	}
	if opts.Poll < 0 || (opts.Poll > 0 && opts.Poll < 50*time.Millisecond) {
		fmt.Fprintf(stderr, "hjp serve: --poll must be at least 50ms, like --poll 700ms\n")
		return exitUsage
	}
	if opts.Bind != "localhost" && net.ParseIP(opts.Bind) == nil {
		fmt.Fprintf(stderr, "hjp serve: --bind must be an IP address, like 127.0.0.1 or 0.0.0.0, not %q\n", opts.Bind)
		return exitUsage
	}
	if st, err := os.Stat(opts.Build.Source); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "hjp serve: --source %q is not a folder\n", opts.Build.Source)
		return exitUsage
	}
	if !server.Loopback(opts.Bind) {
		fmt.Fprintf(stderr, "hjp serve: warning: listening on %s, so other machines on the network can open the preview, drafts and errors included.\n", opts.Bind)
	}
	srv := server.New(opts)
	if err := srv.Listen(); err != nil {
		fmt.Fprintf(stderr, "hjp serve: %v\n", err)
		return exitContent
	}
	if *open {
		openBrowser(srv.URL(), stderr)
	}
	if err := srv.Run(ctx); err != nil {
		fmt.Fprintf(stderr, "hjp serve: %v\n", err)
		return exitContent
	}
	fmt.Fprintln(stdout, "Stopped.")
	return exitOK
}

// openBrowser opens url in the default browser, without waiting for it.
func openBrowser(url string, stderr io.Writer) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "hjp serve: cannot open a browser (%v): open %s yourself\n", err, url)
		return
	}
	go cmd.Wait()
}
