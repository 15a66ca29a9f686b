package ecs

import (
	"reflect"
	"unsafe"

	"github.com/tickecon/tickecon/third_party/arche/ecs/stats"
)

const layoutChunkSize uint8 = 16

// layoutSize is the size of an archetype column layout in bytes.
var layoutSize uint32 = uint32(unsafe.Sizeof(layout{}))

// Helper for accessing data from an archetype
type archetypeAccess struct {
	basePointer          unsafe.Pointer // Pointer to the first component column layout.
	entityPointer        unsafe.Pointer // Pointer to the entity storage
	Mask                 Mask           // Archetype's mask
	RelationTarget       Entity         // Target entity of the archetype (if it has a relation component)
	RelationComponent    ID             // Relation component of the archetype
	HasRelationComponent bool           // Whether the archetype has a relation
}

// GetEntity returns the entity at the given index
func (a *archetypeAccess) GetEntity(index uint32) Entity {
	return *(*Entity)(unsafe.Add(a.entityPointer, entitySize*index))
}

// Get returns the component with the given ID at the given index
func (a *archetypeAccess) Get(index uint32, id ID) unsafe.Pointer {
	return a.getLayout(id).Get(index)
}

// HasComponent returns whether the archetype contains the given component ID.
func (a *archetypeAccess) HasComponent(id ID) bool {
	return a.getLayout(id).pointer != nil
}

// HasRelation returns whether the archetype has a relation component.
func (a *archetypeAccess) HasRelation() bool {
	return a.HasRelationComponent
}

// GetLayout returns the column layout for a component.
func (a *archetypeAccess) getLayout(id ID) *layout {
	return (*layout)(unsafe.Add(a.basePointer, layoutSize*uint32(id.id)))
}

// layout specification of a component column.
type layout struct {
	pointer  unsafe.Pointer // Pointer to the first element in the component column.
	itemSize uint32         // Component/step size
	// typ is the component type if it contains pointers, else nil. Such
	// columns are copied and zeroed through reflect (typedmemmove), so the
	// garbage collector's write barriers see every moved pointer; a raw
	// byte copy can hide a pointer from a concurrent mark and let the GC
	// free memory a component still refers to. (tickecon patch)
	typ reflect.Type
}

// Get returns a pointer to the item at the given index.
func (l *layout) Get(index uint32) unsafe.Pointer {
	if l.pointer == nil {
		return nil
	}
	return unsafe.Add(l.pointer, l.itemSize*index)
}

// archetype represents an ECS archetype
type archetype struct {
	*archetypeData
	node            *archNode // Node in the archetype graph.
	archetypeAccess           // Access helper, passed to queries.
	// lent is the column storage NewColumnSwap last handed back: when the
	// caller swaps it in again, its array type is reused (reflect.ArrayOf
	// can allocate as it fills its caches). tickecon patch.
	lent reflect.Value
	len  uint32 // Current number of entities.
	cap  uint32 // Current capacity.
}

type archetypeData struct {
	entityBuffer reflect.Value   // Reflection array containing entity data.
	layouts      []layout        // Column layouts by ID.
	buffers      []reflect.Value // Reflection arrays containing component data.
	indices      idMap[uint32]   // Mapping from IDs to buffer indices.
	index        int32           // Index of the archetype in the world.
}

// Init initializes an archetype
func (a *archetype) Init(node *archNode, data *archetypeData, index int32, forStorage bool, layouts uint8, relation Entity) {
	if !node.IsActive {
		node.IsActive = true
	}

	a.archetypeData = data
	a.buffers = make([]reflect.Value, len(node.Ids))
	a.indices = newIDMap[uint32]()
	a.index = index
	a.layouts = make([]layout, layouts)

	cap := 1
	if forStorage {
		cap = int(node.initialCapacity)
	}

	for i, id := range node.Ids {
		tp := node.Types[i]
		size, align := tp.Size(), uintptr(tp.Align())
		size = (size + (align - 1)) / align * align

		a.buffers[i] = reflect.New(reflect.ArrayOf(cap, tp)).Elem()
		a.layouts[id.id] = layout{
			pointer:  a.buffers[i].Addr().UnsafePointer(),
			itemSize: uint32(size),
		}
		if hasPointers(tp) {
			a.layouts[id.id].typ = tp
		}
		a.indices.Set(id.id, uint32(i))
	}
	a.entityBuffer = reflect.New(reflect.ArrayOf(cap, entityType)).Elem()

	a.archetypeAccess = archetypeAccess{
		basePointer:          unsafe.Pointer(&a.layouts[0]),
		entityPointer:        a.entityBuffer.Addr().UnsafePointer(),
		Mask:                 node.Mask,
		RelationTarget:       relation,
		RelationComponent:    node.Relation,
		HasRelationComponent: node.HasRelation,
	}

	a.node = node

	a.len = 0
	a.cap = uint32(cap)
}

// Add adds an entity with optionally zeroed components to the archetype
func (a *archetype) Alloc(entity Entity) uint32 {
	idx := a.len
	a.extend(1)
	a.addEntity(idx, &entity)
	a.len++
	return idx
}

// AllocN allocates storage for the given number of entities.
func (a *archetype) AllocN(count uint32) {
	a.extend(count)
	a.len += count
}

// Remove removes an entity and its components from the archetype.
//
// Performs a swap-remove and reports whether a swap was necessary
// (i.e. not the last entity that was removed).
func (a *archetype) Remove(index uint32) bool {
	swapped := a.removeEntity(index)

	old := a.len - 1

	if index != old {
		for _, id := range a.node.Ids {
			lay := a.getLayout(id)
			size := lay.itemSize
			if size == 0 {
				continue
			}
			src := unsafe.Add(lay.pointer, old*size)
			dst := unsafe.Add(lay.pointer, index*size)
			lay.copyItems(src, dst, 1)
		}
	}

	// Zero the free memory to allow the garbage collector
	// to take into account pointers in the removed component.
	a.ZeroAll(old)
	a.len--

	return swapped
}

// ZeroAll resets a block of storage in all buffers.
func (a *archetype) ZeroAll(index uint32) {
	for _, id := range a.node.Ids {
		a.Zero(index, id)
	}
}

// Zero resets a block of storage in one buffer.
func (a *archetype) Zero(index uint32, id ID) {
	lay := a.getLayout(id)
	size := lay.itemSize
	if size == 0 {
		return
	}
	dst := unsafe.Add(lay.pointer, index*size)
	lay.zeroItem(a, dst)
}

// Zero resets a block of storage in one buffer.
func (a *archetype) ZeroRange(start, len uint32, id ID) {
	lay := a.getLayout(id)
	size := lay.itemSize
	if size == 0 {
		return
	}
	var i uint32
	for i = 0; i < len; i++ {
		dst := unsafe.Add(lay.pointer, (i+start)*size)
		lay.zeroItem(a, dst)
	}
}

// SetEntity overwrites an entity
func (a *archetype) SetEntity(index uint32, entity Entity) {
	a.addEntity(index, &entity)
}

// Set overwrites a component with the data behind the given pointer.
//
// Deprecated: Method is slow and should not be used.
func (a *archetype) Set(index uint32, id ID, comp interface{}) unsafe.Pointer {
	lay := a.getLayout(id)
	dst := a.Get(index, id)
	size := lay.itemSize
	if size == 0 {
		return dst
	}
	rValue := reflect.ValueOf(comp).Elem()

	valueType := rValue.Type()
	valuePtr := reflect.NewAt(valueType, dst)
	valuePtr.Elem().Set(rValue)

	return dst
}

// SetPointer overwrites a component with the data behind the given pointer
func (a *archetype) SetPointer(index uint32, id ID, comp unsafe.Pointer) unsafe.Pointer {
	lay := a.getLayout(id)
	dst := a.Get(index, id)
	size := lay.itemSize
	if size == 0 {
		return dst
	}

	lay.copyItems(comp, dst, 1)
	return dst
}

// CopyFrom copies an entire component column from another archetype into this one,
// starting at startIndex in this one.
func (a *archetype) CopyFrom(other *archetype, id ID, startIndex uint32) {
	if !a.Mask.Get(id) {
		return
	}
	lay := a.getLayout(id)
	size := lay.itemSize
	if size == 0 {
		return
	}

	otherLay := other.getLayout(id)

	dst := lay.Get(uint32(startIndex))
	src := otherLay.Get(0)

	lay.copyItems(src, dst, other.len)
}

// CopyFrom copies all entities from another archetype into this one,
// starting at startIndex in this one.
func (a *archetype) CopyEntitiesFrom(other *archetype, startIndex uint32) {
	dst := unsafe.Add(a.entityPointer, startIndex*entitySize)
	src := other.entityPointer

	a.copy(src, dst, entitySize*other.len)
}

// Reset removes all entities and components.
//
// Does NOT free the reserved memory.
func (a *archetype) Reset() {
	if a.len == 0 {
		return
	}
	if a.len <= 64 { // A coarse estimate where manually zeroing is faster
		for _, id := range a.node.Ids {
			a.ZeroRange(0, a.len, id)
		}
	} else {
		// Only the rows in use: the rest of the capacity is zero already
		// (clearing the whole buffer made every Reset after one burst pay
		// for the burst's capacity; tickecon patch).
		for i, id := range a.node.Ids {
			lay := a.getLayout(id)
			if lay.itemSize == 0 {
				continue
			}
			switch {
			case lay.typ == nil:
				clear(unsafe.Slice((*byte)(lay.pointer), uintptr(lay.itemSize)*uintptr(a.len)))
			case a.len >= a.cap/2: // (reflect's Value.Slice would allocate)
				a.buffers[i].SetZero()
			default:
				a.ZeroRange(0, a.len, id)
			}
		}
	}
	a.len = 0
}

// Deactivate the archetype for later re-use.
func (a *archetype) Deactivate() {
	a.Reset()
	a.index = -1
}

// Activate reactivates a de-activated archetype.
func (a *archetype) Activate(target Entity, index int32) {
	a.index = index
	a.RelationTarget = target
}

func (a *archetype) ExtendLayouts(count uint8) {
	if len(a.layouts) >= int(count) {
		return
	}
	temp := a.layouts
	a.layouts = make([]layout, count)
	copy(a.layouts, temp)
	a.archetypeAccess.basePointer = unsafe.Pointer(&a.layouts[0])
}

// IsActive returns whether the archetype is active.
// Otherwise, it is eligible for re-use.
func (a *archetype) IsActive() bool {
	return a.index >= 0
}

// Components returns the component IDs for this archetype
func (a *archetype) Components() []ID {
	return a.node.Ids
}

// Len reports the number of entities in the archetype
func (a *archetype) Len() uint32 {
	return a.len
}

// Cap reports the current capacity of the archetype
func (a *archetype) Cap() uint32 {
	return a.cap
}

// Stats generates statistics for an archetype
func (a *archetype) Stats(reg *componentRegistry) stats.Archetype {
	ids := a.Components()
	aCompCount := len(ids)
	aTypes := make([]reflect.Type, aCompCount)
	for j, id := range ids {
		aTypes[j], _ = reg.ComponentType(id.id)
	}

	cap := int(a.Cap())
	memPerEntity := 0
	for _, id := range a.node.Ids {
		lay := a.getLayout(id)
		memPerEntity += int(lay.itemSize)
	}
	memory := cap * (int(entitySize) + memPerEntity)

	return stats.Archetype{
		IsActive: a.IsActive(),
		Size:     int(a.Len()),
		Capacity: cap,
		Memory:   memory,
	}
}

// UpdateStats updates statistics for an archetype
func (a *archetype) UpdateStats(node *stats.Node, stats *stats.Archetype, reg *componentRegistry) {
	cap := int(a.Cap())
	memory := cap * (int(entitySize) + node.MemoryPerEntity)

	stats.IsActive = a.IsActive()
	stats.Size = int(a.Len())
	stats.Capacity = cap
	stats.Memory = memory
}

// copyItems copies n components of the layout's type from src to dst,
// through reflect when the type holds pointers (see layout.typ).
func (l *layout) copyItems(src, dst unsafe.Pointer, n uint32) {
	if n == 0 {
		return
	}
	if l.typ == nil {
		bytes := l.itemSize * n
		copy(unsafe.Slice((*byte)(dst), bytes), unsafe.Slice((*byte)(src), bytes))
		return
	}
	if n == 1 {
		reflect.NewAt(l.typ, dst).Elem().Set(reflect.NewAt(l.typ, src).Elem())
		return
	}
	at := reflect.ArrayOf(int(n), l.typ)
	reflect.Copy(reflect.NewAt(at, dst).Elem(), reflect.NewAt(at, src).Elem())
}

// zeroItem clears one component at dst, through reflect when the type
// holds pointers (see layout.typ).
func (l *layout) zeroItem(a *archetype, dst unsafe.Pointer) {
	if l.typ == nil {
		a.copy(a.node.zeroPointer, dst, l.itemSize)
		return
	}
	reflect.NewAt(l.typ, dst).Elem().SetZero()
}

// hasPointers reports whether values of t contain pointers the garbage
// collector must see.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	default:
		return true
	}
}

// copy from one pointer to another (pointer-free data only, such as
// entities; components go through layout.copyItems).
func (a *archetype) copy(src, dst unsafe.Pointer, itemSize uint32) {
	// unsafe.Slice, not a cast to *[math.MaxInt32]byte: that array type is
	// larger than a 32-bit address space and does not build on GOARCH=mips.
	copy(unsafe.Slice((*byte)(dst), itemSize), unsafe.Slice((*byte)(src), itemSize))
}

// extend the memory buffers if necessary for adding an entity.
func (a *archetype) extend(by uint32) {
	required := a.len + by
	if a.cap >= required {
		return
	}
	for a.cap < required {
		a.cap *= 2
	}
	a.cap = max(a.cap, a.node.initialCapacity)

	old := a.entityBuffer
	a.entityBuffer = reflect.New(reflect.ArrayOf(int(a.cap), entityType)).Elem()
	a.entityPointer = a.entityBuffer.Addr().UnsafePointer()
	reflect.Copy(a.entityBuffer, old)

	for _, id := range a.node.Ids {
		lay := a.getLayout(id)
		if lay.itemSize == 0 {
			continue
		}
		index, _ := a.indices.Get(id.id)
		old := a.buffers[index]
		a.buffers[index] = reflect.New(reflect.ArrayOf(int(a.cap), old.Type().Elem())).Elem()
		lay.pointer = a.buffers[index].Addr().UnsafePointer()
		reflect.Copy(a.buffers[index], old)
	}
}

// swapColumn makes buf, an addressable array of the component's type whose
// rows are zero from the archetype's length on, the storage of component
// id, and returns the previous one. The entity buffer grows to buf's
// length if it is shorter; the capacity becomes buf's length. For an
// archetype with this one component (tickecon patch, Batch.NewColumnSwap).
func (a *archetype) swapColumn(id ID, buf reflect.Value) reflect.Value {
	index, _ := a.indices.Get(id.id)
	prev := a.buffers[index]
	a.buffers[index] = buf
	a.getLayout(id).pointer = buf.Addr().UnsafePointer()
	c := buf.Len()
	if a.entityBuffer.Len() < c {
		old := a.entityBuffer
		a.entityBuffer = reflect.New(reflect.ArrayOf(c, entityType)).Elem()
		a.entityPointer = a.entityBuffer.Addr().UnsafePointer()
		reflect.Copy(a.entityBuffer, old)
	}
	a.cap = uint32(c)
	return prev
}

// Adds an entity at the given index. Does not extend the entity buffer.
func (a *archetype) addEntity(index uint32, entity *Entity) {
	*(*Entity)(unsafe.Add(a.entityPointer, entitySize*index)) = *entity
}

// removeEntity removes an entity from tne archetype.
// Components need to be removed separately.
func (a *archetype) removeEntity(index uint32) bool {
	old := a.len - 1

	if index == old {
		return false
	}

	*(*Entity)(unsafe.Add(a.entityPointer, index*entitySize)) = *(*Entity)(unsafe.Add(a.entityPointer, old*entitySize))

	return true
}
