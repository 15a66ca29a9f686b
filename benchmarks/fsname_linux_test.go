package benchmarks_test

import (
	"fmt"
	"syscall"
)

// fsName names the file system holding dir (statfs magic numbers of
// linux/magic.h), with the device's block size: what the durable
// figures' fsyncs went to.
func fsName(dir string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return "unknown file system (" + err.Error() + ")"
	}
	names := map[int64]string{0xEF53: "ext4", 0x58465342: "xfs", 0x9123683E: "btrfs", 0x01021994: "tmpfs (memory: fsync is free)",
		0x794c7630: "overlayfs", 0x2FC12FC1: "zfs", 0x6969: "nfs"}
	name, ok := names[int64(st.Type)]
	if !ok {
		name = fmt.Sprintf("file system 0x%x", st.Type)
	}
	return fmt.Sprintf("%s, block size %d", name, st.Bsize)
}
