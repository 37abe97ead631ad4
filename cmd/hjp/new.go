package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/diag"
)

// runNew scaffolds a content file: hjp new <kind> "Title" [--source DIR].
// Flags may come before or after the two arguments.
func runNew(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fset := flag.NewFlagSet("new", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	source := fset.String("source", ".", "")
	var pos []string
	for {
		if err := fset.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, usage)
				return exitOK
			}
			fmt.Fprintf(stderr, "hjp new: %v\n\n%s", err, usage)
			return exitUsage
		}
		args = fset.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != 2 {
		fmt.Fprintf(stderr, "hjp new: want a kind and a title, like: hjp new finding \"Advice reduces stress\"\nkinds: %s\n", strings.Join(content.NewKindNames(), ", "))
		return exitUsage
	}
	kind, title := pos[0], pos[1]
	if st, err := os.Stat(*source); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "hjp new: --source %q is not a folder\n", *source)
		return exitUsage
	}
	today, err := today(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "hjp new: %v\n", err)
		return exitUsage
	}
	fsys := os.DirFS(*source)
	site, d := config.Load(fsys, config.Options{})
	if site == nil {
		diag.Print(stderr, d)
		return exitContent
	}
	file, data, err := content.Scaffold(fsys, site, kind, title, today)
	switch {
	case errors.Is(err, content.ErrUnknownKind):
		fmt.Fprintf(stderr, "hjp new: %v\n", err)
		return exitUsage
	case err != nil:
		var dg diag.Diagnostic
		if errors.As(err, &dg) {
			diag.Print(stderr, diag.List{dg})
		} else {
			fmt.Fprintf(stderr, "hjp new: %v\n", err)
		}
		return exitContent
	}
	if err := create(filepath.Join(*source, filepath.FromSlash(file)), data); err != nil {
		fmt.Fprintf(stderr, "hjp new: %v\n", err)
		return exitContent
	}
	fmt.Fprintf(stdout, "created %s (a draft: remove its draft line to publish it)\n", file)
	return exitOK
}

// today is the date hjp new writes into updated: the wall clock, or
// SOURCE_DATE_EPOCH when set (reproducible runs and tests). It is the
// only place hjp reads the time.
func today(getenv func(string) string) (string, error) {
	t := time.Now()
	if s := getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return "", fmt.Errorf("SOURCE_DATE_EPOCH must be seconds since 1970, not %q", s)
		}
		t = time.Unix(sec, 0).UTC()
	}
	return t.Format(time.DateOnly), nil
}

// create writes a new file, refusing to replace one that appeared since
// the scaffold checked.
func create(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists: hjp new never overwrites a file", path)
	}
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
