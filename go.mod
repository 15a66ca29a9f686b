module github.com/tickecon/tickecon

go 1.26.8

require github.com/mlange-42/arche v0.15.3

require (
	github.com/stretchr/testify v1.12.1
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
