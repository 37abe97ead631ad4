//go:build !linux

package publish

import "os"

// exchange swaps two folders with two renames. Unlike Linux's atomic
// exchange, a crash between the renames leaves b missing until the next
// build.
func exchange(a, b string) error {
	tmp := b + ".old"
	if err := os.Rename(b, tmp); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		os.Rename(tmp, b)
		return err
	}
	return os.Rename(tmp, a)
}
