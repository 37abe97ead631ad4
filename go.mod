module hjp

go 1.26
