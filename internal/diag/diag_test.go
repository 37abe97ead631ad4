package diag

import (
	"bytes"
	"testing"
)

func TestFilePosition(t *testing.T) {
	f := NewFile("a.md", []byte("ab\ncé\r\nx"))
	tests := []struct{ off, line, col int }{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {4, 2, 2}, {6, 2, 3}, {8, 3, 1}, {99, 3, 2},
	}
	for _, tt := range tests {
		l, c := f.Position(tt.off)
		if l != tt.line || c != tt.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", tt.off, l, c, tt.line, tt.col)
		}
	}
	if got := f.Line(2); got != "cé" {
		t.Errorf("Line(2) = %q", got)
	}
	if got := f.Offset(2, 3); got != 6 {
		t.Errorf("Offset(2,3) = %d", got)
	}
}

// TestFileLines checks the line index, which is made when first asked
// for, at the edges and from many goroutines at once.
func TestFileLines(t *testing.T) {
	tests := []struct {
		src   string
		lines int
		last  string
	}{
		{"", 1, ""},
		{"\n", 2, ""},
		{"a\n\nb", 3, "b"},
		{"a\nb\n", 3, ""},
	}
	for _, tt := range tests {
		f := NewFile("x", []byte(tt.src))
		if got := f.Lines(); got != tt.lines {
			t.Errorf("%q: Lines() = %d, want %d", tt.src, got, tt.lines)
		}
		if got := f.Line(tt.lines); got != tt.last {
			t.Errorf("%q: Line(%d) = %q, want %q", tt.src, tt.lines, got, tt.last)
		}
	}
	f := NewFile("a.md", bytes.Repeat([]byte("line\n"), 1000))
	done := make(chan [2]int)
	for i := range 8 {
		go func() {
			l, c := f.Position(i*5 + 2)
			done <- [2]int{l, c}
		}()
	}
	for range 8 {
		if p := <-done; p[1] != 3 {
			t.Errorf("Position = %d:%d, want column 3", p[0], p[1])
		}
	}
}

func TestPrint(t *testing.T) {
	f := NewFile("content/findings/f03.md", []byte("---\n\tstrenght: strong\n---\n"))
	var l List
	l.Add(f.At(Error, 2, 2, `unknown field "strenght"%s`, DidYouMean("strenght", []string{"strength", "summary"})))
	var b bytes.Buffer
	Print(&b, l)
	want := "content/findings/f03.md:2:2: error: unknown field \"strenght\" (did you mean \"strength\"?)\n" +
		"    \tstrenght: strong\n" +
		"    \t^\n"
	if b.String() != want {
		t.Errorf("Print:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestSortAndCount(t *testing.T) {
	l := List{
		{Path: "b.md", Line: 1, Col: 1, Message: "x"},
		{Path: "a.md", Line: 9, Col: 1, Severity: Warning, Message: "w"},
		{Path: "a.md", Line: 2, Col: 5, Message: "y"},
		{Path: "a.md", Line: 2, Col: 5, Message: "y"},
	}
	l = l.Sort()
	if len(l) != 3 || l[0].Line != 2 || l[1].Line != 9 || l[2].Path != "b.md" {
		t.Fatalf("Sort = %v", l)
	}
	if l.Errors() != 2 || l.Warnings() != 1 {
		t.Errorf("counts = %d errors, %d warnings", l.Errors(), l.Warnings())
	}
	if l.Strict().Errors() != 3 {
		t.Errorf("Strict did not promote the warning")
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"strength", "summary", "settings", "sources", "hospital", "primary-care"}
	tests := []struct{ in, want string }{
		{"strenght", "strength"},
		{"sumary", "summary"},
		{"setting", "settings"},
		{"hospitl", "hospital"},
		{"primary_care", "primary-care"},
		{"xyzzy", ""},
		{"hosp", "hospital"},
	}
	for _, tt := range tests {
		if got := Suggest(tt.in, cands); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
