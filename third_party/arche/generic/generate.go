package generic

// Code generation for generic queries and maps.

//go:generate go run ./_generate
//go:generate go fmt
