// Package listener provides ecs.Listener implementations (see [github.com/mlange-42/arche/ecs.Listener])
// for Arche. Arche is an Entity Component System (ECS) for Go.
//
// See the top level module [github.com/mlange-42/arche] for an overview.
//
// 🕮 Also read Arche's [User Guide]!
//
// [User Guide]: https://mlange-42.github.io/arche/
package listener
