// cni-driver runs one CNI operation through libcni, the CNI project's own runtime library, the way a container
// runtime does: it reads a network configuration (.conf or .conflist), finds the plugins on CNI_PATH, caches the
// ADD result and feeds it back as prevResult to CHECK and DEL.
//
//	cni-driver add|check|del|version CONFIG NETNS CONTAINER_ID IFNAME
//
// CNI_PATH (':'-separated plugin directories) and CNI_CACHE_DIR come from the environment. ADD prints the result
// JSON; a plugin's error is printed as the CNI error JSON on stdout and the exit code is 1.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/containernetworking/cni/libcni"
	"github.com/containernetworking/cni/pkg/types"
)

func main() {
	if len(os.Args) != 6 && !(len(os.Args) == 3 && os.Args[1] == "version") {
		fmt.Fprintln(os.Stderr, "usage: cni-driver add|check|del CONFIG NETNS CONTAINER_ID IFNAME | version CONFIG")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2:]); err != nil {
		if e, ok := err.(*types.Error); ok {
			_ = json.NewEncoder(os.Stdout).Encode(e)
		} else {
			_ = json.NewEncoder(os.Stdout).Encode(&types.Error{Code: types.ErrInternal, Msg: err.Error()})
		}
		os.Exit(1)
	}
}

func run(op string, args []string) error {
	bytes, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	var list *libcni.NetworkConfigList
	if strings.HasSuffix(args[0], ".conflist") {
		list, err = libcni.ConfListFromBytes(bytes)
	} else {
		var conf *libcni.NetworkConfig
		if conf, err = libcni.ConfFromBytes(bytes); err == nil {
			list, err = libcni.ConfListFromConf(conf)
		}
	}
	if err != nil {
		return err
	}

	cacheDir := os.Getenv("CNI_CACHE_DIR")
	if cacheDir == "" {
		cacheDir = filepath.Join(os.TempDir(), "cni-driver-cache")
	}
	cni := libcni.NewCNIConfigWithCacheDir(filepath.SplitList(os.Getenv("CNI_PATH")), cacheDir, nil)
	ctx := context.Background()

	if op == "version" {
		for _, plugin := range list.Plugins {
			info, err := cni.GetVersionInfo(ctx, plugin.Network.Type)
			if err != nil {
				return err
			}
			fmt.Printf("%s %s\n", plugin.Network.Type, strings.Join(info.SupportedVersions(), " "))
		}
		return nil
	}

	rt := &libcni.RuntimeConf{ContainerID: args[2], NetNS: args[1], IfName: args[3]}
	switch op {
	case "add":
		result, err := cni.AddNetworkList(ctx, list, rt)
		if err != nil {
			return err
		}
		return result.Print()
	case "check":
		return cni.CheckNetworkList(ctx, list, rt)
	case "del":
		return cni.DelNetworkList(ctx, list, rt)
	}
	return fmt.Errorf("unknown operation %q", op)
}
