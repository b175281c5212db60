#!/bin/sh
# SPDX-License-Identifier: ISC
# Stands in for a test program that could not be built (cmocka or libvterm missing).
echo "SKIP: built without cmocka or libvterm (Debian: apt-get install libcmocka-dev libvterm-dev)"
exit 77
