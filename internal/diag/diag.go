// Package diag holds positioned diagnostics: every problem hjp reports is a
// file, line, column, severity and message, printed the way compilers print
// them, with the source line and a caret under the column.
package diag

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Severity says whether a diagnostic stops the build.
type Severity int

const (
	// Error stops the build.
	Error Severity = iota
	// Warning is reported but does not stop the build unless --strict.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one problem at one place in one file. Line and Col are
// 1-based; Col counts characters (runes), not bytes. Source is the text of
// the offending line, without its line ending, or empty when unknown.
type Diagnostic struct {
	Path     string
	Line     int
	Col      int
	Severity Severity
	Message  string
	Source   string
}

// String formats d as "path:line:col: severity: message".
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", d.Path, d.Line, d.Col, d.Severity, d.Message)
}

// Error makes a Diagnostic usable as an error value.
func (d Diagnostic) Error() string { return d.String() }

// List is the diagnostics of one build.
type List []Diagnostic

// Add appends diagnostics.
func (l *List) Add(d ...Diagnostic) { *l = append(*l, d...) }

// Errorf appends an error at a position without source text.
func (l *List) Errorf(path string, line, col int, format string, args ...any) {
	l.Add(Diagnostic{Path: path, Line: line, Col: col, Severity: Error, Message: fmt.Sprintf(format, args...)})
}

// Sort orders the list by path, line, column, severity and message, and
// removes exact duplicates, so output is stable whatever order stages ran in.
func (l List) Sort() List {
	slices.SortFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return slices.CompactFunc(l, func(a, b Diagnostic) bool { return a == b })
}

// Errors counts the diagnostics of severity Error.
func (l List) Errors() int { return l.count(Error) }

// Warnings counts the diagnostics of severity Warning.
func (l List) Warnings() int { return l.count(Warning) }

func (l List) count(s Severity) int {
	n := 0
	for _, d := range l {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// Strict returns a copy of l with every warning turned into an error.
func (l List) Strict() List {
	out := slices.Clone(l)
	for i := range out {
		out[i].Severity = Error
	}
	return out
}

// Error returns the list as one error (nil when it holds no errors), so a
// caller can treat "the build has errors" as an ordinary error value.
func (l List) Err() error {
	if l.Errors() == 0 {
		return nil
	}
	return errList(l)
}

type errList List

func (e errList) Error() string {
	var b strings.Builder
	for i, d := range e {
		if d.Severity != Error {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e[i].String())
	}
	return b.String()
}

// Print writes each diagnostic like a compiler: the position line, then the
// source line and a caret under the column when the source is known.
func Print(w io.Writer, l List) {
	for _, d := range l {
		fmt.Fprintln(w, d.String())
		if d.Source == "" {
			continue
		}
		src, caret := snippet(d.Source, d.Col)
		fmt.Fprintf(w, "    %s\n    %s^\n", src, caret)
	}
}

// snippet returns the source line, shortened around col when very long, and
// the padding that puts a caret under col. Tabs in the padding are kept so
// the caret lines up in a terminal.
func snippet(src string, col int) (string, string) {
	runes := []rune(src)
	const max = 120
	start := 0
	if col-1 > max-20 {
		start = col - 1 - (max - 40)
	}
	if start > len(runes) {
		start = len(runes)
	}
	end := min(len(runes), start+max)
	prefix, suffix := "", ""
	if start > 0 {
		prefix = "…"
	}
	if end < len(runes) {
		suffix = "…"
	}
	var pad strings.Builder
	if prefix != "" {
		pad.WriteString(" ")
	}
	for i := start; i < col-1 && i < len(runes); i++ {
		if runes[i] == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
	}
	return prefix + string(runes[start:end]) + suffix, pad.String()
}
