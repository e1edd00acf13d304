# Makefile for GNU make.  The lists and rules are in files.mk, shared with
# BSDmakefile; this file only bootstraps configure.
#
#	make [all]		build the programs, the library and the tests' needs
#	make check		build and run the test suite with Kyua
#	make install		PREFIX, DESTDIR, BINDIR, SBINDIR, LIBDIR, MANDIR
#	make lint		mandoc -Tlint the manuals
#	make bench		benchmarks against Debian's vde_switch

all:

include config.mk
include files.mk

config.mk config.h: configure VERSION
	./configure

.PHONY: all tests check demo lint bench install uninstall clean distclean fuzz \
	dist distcheck print-distcheck-tests print-progs
