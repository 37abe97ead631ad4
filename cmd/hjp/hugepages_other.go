//go:build !linux

package main

// reserveHugeHeap does nothing: transparent huge pages are Linux's (see
// hugepages.go).
func reserveHugeHeap(func(string) string) int { return 0 }
