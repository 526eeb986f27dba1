#!/usr/bin/env bash
# Adds the link captures beyond eng/capture-iproute2.sh's list (set address/name/alias/txqueuelen/master/nomaster/
# promisc/mode, veth peer into a namespace, macvtap, ifb, bridge settings, IPv6 vxlan group) to
# tests/LinuxNet.Tests/TestData/iproute2, in the same format and with the same annotator.
# Works only inside two throwaway namespaces it creates and deletes (also on failure). Needs root, strace, python3.
#
# usage: sudo eng/capture-iproute2-links.sh [OUTPUT_DIR]
set -euo pipefail
. "$(dirname "$0")/capture-common.sh"

# Same indexes as the main captures: v1 = 2, v0 = 3, then br0 = 4.
run ip link add v0 type veth peer name v1
run ip link add br0 type bridge
cap link-set-address     last "" ip link set v0 address 02:00:00:00:00:42
cap link-set-alias       last "" ip link set v0 alias uplink
cap link-set-txqueuelen  last "" ip link set v0 txqueuelen 500
cap link-set-promisc-on  last "" ip link set v0 promisc on
cap link-set-mode-dormant last "" ip link set v0 mode dormant
cap link-set-master      last "" ip link set v1 master br0
cap link-set-nomaster    last "" ip link set v1 nomaster
cap link-set-name        last "" ip link set v0 name uplink0
run ip link set uplink0 name v0
cap link-add-veth-peer-netns last "$PEER" ip link add w0 type veth peer name w1 netns "$PEER"
cap link-add-macvtap     last "" ip link add mvt0 link v0 type macvtap mode private
cap link-add-ifb         last "" ip link add ifb0 type ifb
cap link-add-bridge-settings last "" ip link add br1 type bridge forward_delay 400 ageing_time 10000 stp_state 1 priority 4096
cap link-add-vxlan-group6 last "" ip link add vx6 type vxlan id 7 group ff05::42 dev v0 dstport 4790
# One request that changes everything at once (issue 11): ip sends a single RTM_NEWLINK, attributes in argument order.
run ip link add d1 type veth peer name d2
cap link-set-many        last "" ip link set dev d1 mtu 1400 address 02:00:00:00:00:42 name d9 txqueuelen 500 alias uplink promisc on up
