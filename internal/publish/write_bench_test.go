package publish

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkWriteFile writes a build's worth of small pages, each in a
// new folder, the way a 10,000-page build does: writeNew against
// os.WriteFile, in a temporary folder (on tmpfs when TMPDIR is).
func BenchmarkWriteFile(b *testing.B) {
	data := make([]byte, 8<<10)
	for name, write := range map[string]func(string, []byte) error{
		"writeNew":     writeNew,
		"os.WriteFile": func(p string, d []byte) error { return os.WriteFile(p, d, 0o644) },
	} {
		b.Run(name, func(b *testing.B) {
			dir := b.TempDir()
			b.SetBytes(int64(len(data)))
			i := 0
			for b.Loop() {
				d := filepath.Join(dir, strconv.Itoa(i))
				i++
				if err := os.Mkdir(d, 0o755); err != nil {
					b.Fatal(err)
				}
				if err := write(filepath.Join(d, "index.html"), data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
