package diag

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

// File maps byte offsets in one source file to lines and columns, and makes
// diagnostics that carry the offending source line.
type File struct {
	Path  string
	Src   []byte
	lines []int // byte offset of the start of each line
}

// NewFile indexes src, whose diagnostics will name path.
func NewFile(path string, src []byte) *File {
	lines := make([]int, 1, 64)
	for i, c := range src {
		if c == '\n' {
			lines = append(lines, i+1)
		}
	}
	return &File{Path: path, Src: src, lines: lines}
}

// Position returns the 1-based line and character column of a byte offset.
func (f *File) Position(offset int) (line, col int) {
	offset = max(0, min(offset, len(f.Src)))
	i := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > offset }) - 1
	return i + 1, utf8.RuneCount(f.Src[f.lines[i]:offset]) + 1
}

// Offset returns the byte offset of a 1-based line and column, clamped to
// the file.
func (f *File) Offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(f.lines) {
		return len(f.Src)
	}
	off := f.lines[line-1]
	for c := 1; c < col && off < len(f.Src) && f.Src[off] != '\n'; c++ {
		_, n := utf8.DecodeRune(f.Src[off:])
		off += n
	}
	return off
}

// Line returns the text of a 1-based line without its line ending.
func (f *File) Line(line int) string {
	if line < 1 || line > len(f.lines) {
		return ""
	}
	start := f.lines[line-1]
	end := len(f.Src)
	if line < len(f.lines) {
		end = f.lines[line] - 1
	}
	if end > start && f.Src[end-1] == '\r' {
		end--
	}
	return string(f.Src[start:end])
}

// Lines returns the number of lines in the file.
func (f *File) Lines() int { return len(f.lines) }

// At makes a diagnostic at a line and column of f.
func (f *File) At(sev Severity, line, col int, format string, args ...any) Diagnostic {
	return Diagnostic{
		Path: f.Path, Line: line, Col: col, Severity: sev,
		Message: fmt.Sprintf(format, args...),
		Source:  f.Line(line),
	}
}

// AtOffset makes a diagnostic at a byte offset of f.
func (f *File) AtOffset(sev Severity, offset int, format string, args ...any) Diagnostic {
	line, col := f.Position(offset)
	return f.At(sev, line, col, format, args...)
}
