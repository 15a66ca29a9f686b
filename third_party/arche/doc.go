// Package arche provides an archetype-based Entity Component System (ECS) for Go.
//
// See the sub-packages:
//
//   - Core API -- [github.com/mlange-42/arche/ecs]
//   - Generic API -- [github.com/mlange-42/arche/generic]
//   - Advanced filters -- [github.com/mlange-42/arche/filter]
//   - Event listeners -- [github.com/mlange-42/arche/listener]
//   - Usage examples -- [github.com/mlange-42/arche/_examples]
//
// 🕮 Also read Arche's [User Guide]!
//
// [User Guide]: https://mlange-42.github.io/arche/
package arche
