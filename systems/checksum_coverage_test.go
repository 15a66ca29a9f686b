package systems_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/systems"
)

// leaf is one scalar field of a component value, by path.
type leaf struct {
	path string
	v    reflect.Value // settable
}

// fill sets every scalar field of v to a distinct non-zero value, giving
// slices two elements, and returns the scalar fields.
func fill(v reflect.Value, path string, next *int64, out *[]leaf) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), path+"."+v.Type().Field(i).Name, next, out)
		}
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), fmt.Sprintf("%s[%d]", path, i), next, out)
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), fmt.Sprintf("%s[%d]", path, i), next, out)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		*next++
		v.SetInt(*next)
		*out = append(*out, leaf{path, v})
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		*next++
		v.SetUint(uint64(*next))
		*out = append(*out, leaf{path, v})
	case reflect.Bool:
		v.SetBool(true)
		*out = append(*out, leaf{path, v})
	case reflect.String:
		v.SetString("s")
		*out = append(*out, leaf{path, v})
	default:
		panic("fill: unhandled kind " + v.Kind().String() + " at " + path)
	}
}

// bump changes a scalar field and returns the function that undoes it.
func bump(l leaf) (undo func()) {
	old := reflect.ValueOf(l.v.Interface())
	switch l.v.Kind() {
	case reflect.Bool:
		l.v.SetBool(!l.v.Bool())
	case reflect.String:
		l.v.SetString(l.v.String() + "x")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		l.v.SetInt(l.v.Int() + 1)
	default:
		l.v.SetUint(l.v.Uint() + 1)
	}
	return func() { l.v.Set(old) }
}

// Every field of every hashed component — core and commerce — is in the
// state checksum: changing any one of them changes both the incremental
// Checksum (after a Touch) and the from-scratch FullChecksum. Fields left
// out on purpose are listed, with why.
func TestEveryComponentFieldIsInTheChecksum(t *testing.T) {
	for _, v := range []uint8{1, systems.CurrentChecksumVersion} { // both receipt terms
		cfg := systems.DefaultConfig
		cfg.ChecksumVersion = v
		t.Run(fmt.Sprintf("version=%d", v), func(t *testing.T) { everyFieldIsInTheChecksum(t, cfg) })
	}
}

func everyFieldIsInTheChecksum(t *testing.T, cfg systems.Config) {
	notHashed := map[string]string{
		"Name.Text": "presentation only (components.Name)",
	}
	hashed := []reflect.Type{
		reflect.TypeFor[components.CurrencyDef](), reflect.TypeFor[components.ItemDef](),
		reflect.TypeFor[components.Wallet](), reflect.TypeFor[components.Inventory](),
		reflect.TypeFor[components.ShopListing](), reflect.TypeFor[components.Name](),
		reflect.TypeFor[components.Receipt](), reflect.TypeFor[components.Cart](),
		reflect.TypeFor[components.Account](), reflect.TypeFor[components.Package](),
		reflect.TypeFor[components.Coupon](), reflect.TypeFor[components.Trade](),
		reflect.TypeFor[components.PurchaseRecord](),
	}
	w := ecs.New()
	systems.InstallCommerce(w, cfg)
	w.Step()
	var missing []string
	checked := 0
	for _, typ := range hashed {
		cid := arche.TypeID(w.ECS(), typ)
		id, e := w.Spawn(cid)
		var next int64
		var leaves []leaf
		fill(reflect.NewAt(typ, w.ECS().Get(e, cid)).Elem(), typ.Name(), &next, &leaves)
		w.Touch(id)
		base := w.Checksum()
		require.Equal(t, w.FullChecksum(), base, "%s", typ)
		for _, l := range leaves {
			undo := bump(l)
			w.Touch(id)
			inc, full := w.Checksum(), w.FullChecksum()
			undo()
			w.Touch(id)
			require.Equal(t, base, w.Checksum(), "%s: undone", l.path)
			checked++
			if _, ok := notHashed[l.path]; ok {
				assert.Equal(t, base, full, "%s is documented as not hashed", l.path)
				continue
			}
			if inc == base || full == base {
				missing = append(missing, fmt.Sprintf("%s (incremental changed: %v, full: %v)", l.path, inc != base, full != base))
			}
		}
	}
	assert.Empty(t, missing, "fields a change to which the checksum does not see")
	assert.Greater(t, checked, 50, "the walk reached the fields")
}
