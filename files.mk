# files.mk: the one list of sources, programs, tests and manuals, and the
# rules that build them.  Read by both Makefile (GNU make) and BSDmakefile
# (bmake, FreeBSD make); it stays in the POSIX subset of make: plain
# assignments, suffix rules, $@ and $<, no pattern rules, no $^ or $>.

WARNFLAGS =	-Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
		-Wmissing-declarations -Wshadow -Wpointer-arith -Wformat=2 \
		-Wundef -Wwrite-strings -Wno-unused-parameter
INCS =		-I. -Isrc/common -Isrc/lib
ALL_CFLAGS =	$(CFLAGS) $(WARNFLAGS) -fPIC -fvisibility=hidden $(INCS) \
		$(BSDCFLAGS)
LIBS =		$(BSDLIBS)

# --- shared by every program and the library -----------------------------
COMMON_OBJS =	src/common/log.o src/common/xmalloc.o src/common/ctlreq.o \
		src/common/stream.o src/common/pidfile.o src/common/vxlan.o \
		src/common/version.o src/common/ring.o src/common/sockstale.o
OS_OBJS =	os/$(OS)/os.o os/$(OS)/tap.o os/sun.o os/cred.o $(OS_BATCH_OBJ) \
		$(OS_VX_OBJS) os/inet.o $(OS_SHM_OBJ)
# Multicast and several sockets behind one fd (vxvde://, vxlan://).
OS_VX_OBJS =	os/mcast.o os/$(OS)/mux.o os/udpseg.o
LIBCOMMON =	src/common/libvdecommon.a

# --- vde_switch ----------------------------------------------------------
SWITCH_CORE_OBJS =	src/switch/main.o src/switch/loop.o src/switch/ctl.o \
			src/switch/swdir.o \
			src/switch/port.o src/switch/portq.o src/switch/fdb.o \
			src/switch/forward.o src/switch/tapport.o \
			src/switch/ringport.o

# The console (mgmt*.c, cmd*.c, linebuf.c); MGMT_UNIT_OBJS is what its unit
# test links without the rest of the switch (with a command table of its
# own instead of cmd_table.o).
MGMT_UNIT_OBJS =	src/switch/mgmt.o src/switch/mgmtscript.o \
		src/switch/mgmtsock.o src/switch/mgmtev.o src/switch/mgmterr.o \
		src/switch/cmd.o \
		src/switch/linebuf.o src/switch/cmd_core.o src/switch/cmd_debug.o
SWITCH_MGMT_OBJS =	$(MGMT_UNIT_OBJS) src/switch/cmd_table.o \
		src/switch/cmd_port.o src/switch/cmd_hash.o

SWITCH_VLAN_OBJS =	src/switch/vlan.o src/switch/vtag.o src/switch/vlanport.o \
			src/switch/cmd_vlan.o

SWITCH_STP_OBJS =	$(STP_CORE_OBJS) src/switch/fstp.o src/switch/cmd_stp.o

# Spanning tree: the codec and the protocol (unit-tested alone).
STP_CORE_OBJS =	src/switch/bpdu.o src/switch/stp.o src/switch/stpsm.o \
		src/switch/stpprt.o

# Software checksum and TCP segmentation for taps with offloads.
SWITCH_GSO_OBJS =	src/switch/gso.o src/switch/csum.o src/switch/gro.o

# Capture (libpcap) and mirroring of ports (issue 16).
SWITCH_CAPTURE_OBJS =	src/switch/capture.o src/switch/capbudget.o \
			src/switch/cmd_capture.o \
			src/switch/mirror.o src/switch/cmd_mirror.o \
			src/switch/mgmtcred.o

# VXLAN ports (issue 15): the ports, their VTEP tables, their console menu.
SWITCH_VXLAN_OBJS =	src/switch/vxport.o src/switch/vxconf.o src/switch/vxfdb.o \
			src/switch/cmd_vxlan.o

SWITCH_OBJS =	$(SWITCH_CORE_OBJS) $(SWITCH_MGMT_OBJS) $(SWITCH_VLAN_OBJS) \
		$(SWITCH_STP_OBJS) $(SWITCH_GSO_OBJS) $(SWITCH_CAPTURE_OBJS) \
		$(SWITCH_VXLAN_OBJS)

# --- libvdeplug ----------------------------------------------------------
LIB_OBJS =	src/lib/vnl.o src/lib/vdeconn.o src/lib/vdestream.o src/lib/ptp.o \
		src/lib/udp.o src/lib/clisock.o src/lib/ringc.o \
		$(LIB_VX_OBJS)
# The vxvde:// and vxlan:// networks, apart to keep the list above
# merge-friendly.
LIB_VX_OBJS =	src/lib/vxurl.o src/lib/vxnet.o src/lib/vxtab.o
LIB_MAJOR =	2
LIB_SHARED =	src/lib/libvdeplug.so.$(LIB_MAJOR)
LIB_STATIC =	src/lib/libvdeplug.a

# --- tools ---------------------------------------------------------------
PLUG_OBJS =	src/tools/vde_plug.o src/tools/outq.o src/tools/tool.o
DPIPE_OBJS =	src/tools/dpipe.o
PLUG2TAP_OBJS =	src/tools/vde_plug2tap.o src/tools/outq.o src/tools/tool.o
VDECMD_OBJS =	src/tools/vdecmd.o
# A cable with faults on purpose (issue 16).
WF_OBJS =	src/tools/wirefilter.o src/tools/wfmodel.o src/tools/wfrand.o \
		src/tools/wfmarkov.o src/tools/wfmgmt.o src/tools/outq.o src/tools/tool.o
# An interface joined to a switch through libpcap (issue 16).
PCAPPLUG_OBJS =	src/tools/vde_pcapplug.o src/tools/tool.o

SBIN_PROGS =	src/switch/vde_switch
BIN_PROGS =	src/tools/vde_plug src/tools/dpipe src/tools/vde_plug2tap \
		src/tools/vdecmd $(LAB_PROGS)
# The lab tools (issue 16), apart to keep the list above merge-friendly.
LAB_PROGS =	src/tools/wirefilter src/tools/vde_pcapplug
PROGS =		$(SBIN_PROGS) $(BIN_PROGS)

MAN1 =		man/vde_plug.1 man/dpipe.1 man/vde_plug2tap.1 man/vdecmd.1 \
		$(LAB_MAN1)
# The lab tools' manuals (issue 16), apart to keep the list above merge-friendly.
LAB_MAN1 =	man/wirefilter.1 man/vde_pcapplug.1
MAN3 =		man/libvdeplug.3
MAN8 =		man/vde_switch.8
MANS =		$(MAN1) $(MAN3) $(MAN8)
MLINKS3 =	vde_open.3 vde_open_real.3 vde_recv.3 vde_send.3 vde_datafd.3 \
		vde_ctlfd.3 vde_close.3 vdestream_open.3 vdestream_send.3 \
		vdestream_recv.3 vdestream_close.3

# --- benchmarks ("make bench"; the blaster also serves tests/bench_test) ---
BENCH_PROGS =	bench/blaster
BENCH_OBJS =	bench/blaster.o

# --- tests (Kyua runs what it finds next to tests/Kyuafile) ---------------
TEST_C_PROGS =	tests/compat_test tests/os_test tests/ctlreq_test \
		tests/stream_test tests/vtag_test tests/vlantab_test \
		tests/fdb_test tests/bpdu_test tests/stpsm_test \
		tests/mgmt_test tests/libvdeplug_test
# The console's command table and event names, apart to keep the list above
# merge-friendly.
CMDTAB_TEST_PROGS =	tests/cmdtab_test
# Software segmentation (gso.c), apart to keep the list above merge-friendly.
GSO_TEST_PROGS =	tests/gso_test tests/gsowire_test tests/helpers/gso_dump
TEST_SH_PROGS =	tests/build_test tests/switch_test tests/tap_test tests/plug_test \
		tests/qemu_test tests/howto_test \
		tests/vlan_test \
		tests/stp_test
# The console's program test, apart to keep the lists above merge-friendly.
CONSOLE_TEST_PROGS =	tests/console_test
# The lab tools (issue 16), apart to keep the lists above merge-friendly.
LAB_TEST_PROGS =	tests/wirefilter_test tests/pcapplug_test
# The benchmark tools' smoke test (bench/, issue 9), apart for the same reason.
BENCH_TEST_PROGS =	tests/bench_test
# Several users sharing a root switch, attacks on it, on a root client of
# libvdeplug and on the pid files of the programs (issue 13).
PERM_TEST_PROGS =	tests/perm_test tests/security_test tests/libperm_test \
			tests/pidfile_test tests/limits_test
# The poll loop alone (a signal during poll, timers past 2^32 ms), and
# vdecmd's calling conventions (issue 14).
BUGS_TEST_PROGS =	tests/loop_test tests/vdecmd_test
# FreeBSD's answers (setgid EPERM, ENOBUFS, EMSGSIZE) shown on Linux through
# an LD_PRELOAD library (issue 19).
FBSD_TEST_PROGS =	tests/fbsd_test tests/helpers/fakeos.so
# The library's vxvde:// and vxlan:// networks (issue 15).
VXNET_TEST_PROGS =	tests/vxnet_test tests/vxurl_test
# The output queue and staging of port.c (issue 14).
PORT_TEST_PROGS =	tests/port_test
# Capture and mirroring (issue 16).
CAPTURE_TEST_PROGS =	tests/capture_test tests/mirror_test \
			tests/capbudget_test
# Releases and packages: --version, make dist, the FreeBSD port, the
# systemd unit (issue 17).
PKG_TEST_PROGS =	tests/pkg_test
# VXLAN ports (issue 15): the header codec and VTEP table, the ports.
VXLAN_TEST_PROGS =	tests/vxhdr_test tests/vxlan_test
# Shared-memory rings between libvdeplug and the switch (issue 18).
RING_TEST_PROGS =	tests/ring_test tests/ringbuf_test
TEST_PROGS =	$(TEST_C_PROGS) $(CMDTAB_TEST_PROGS) $(TEST_SH_PROGS) \
		$(CONSOLE_TEST_PROGS) $(CAPTURE_TEST_PROGS) \
		$(BENCH_TEST_PROGS) $(PERM_TEST_PROGS) $(GSO_TEST_PROGS) \
		$(BUGS_TEST_PROGS) $(FBSD_TEST_PROGS) $(PORT_TEST_PROGS) \
		$(VXNET_TEST_PROGS) $(PKG_TEST_PROGS) $(LAB_TEST_PROGS) \
		$(VXLAN_TEST_PROGS) $(RING_TEST_PROGS)
TEST_CFLAGS =	$(ALL_CFLAGS) $(ATF_CFLAGS)
TEST_LIBS =	$(ATF_LIBS) $(LIBS)

# --- fuzz targets: "make fuzz" (clang), then "sh fuzz/run.sh" ----------------
# To add one: write fuzz/NAME_fuzz.c, append fuzz/NAME_fuzz to FUZZ_PROGS and
# give it a rule like those in the fuzz rules below, compiling the sources it
# tests together with it (so they get the fuzzer's coverage instrumentation).
FUZZ_PROGS =	fuzz/ctlreq_fuzz fuzz/stream_fuzz fuzz/vlan_fuzz fuzz/bpdu_fuzz \
		fuzz/mgmt_fuzz fuzz/vnl_fuzz $(GSO_FUZZ_PROGS) $(LAB_FUZZ_PROGS) \
		$(VXLAN_FUZZ_PROGS) $(RING_FUZZ_PROGS)
# Software segmentation (gso.c), apart to keep the list above merge-friendly.
GSO_FUZZ_PROGS =	fuzz/gso_fuzz fuzz/gro_fuzz
# wirefilter's parser and model (issue 16), apart for the same reason.
LAB_FUZZ_PROGS =	fuzz/wfmodel_fuzz
# VXLAN ports' receive parsing and VTEP table (issue 15), apart likewise.
VXLAN_FUZZ_PROGS =	fuzz/vxlan_fuzz
# The switch's side of the shared-memory rings (issue 18).
RING_FUZZ_PROGS =	fuzz/ring_fuzz
FUZZ_CC =	clang
FUZZ_CFLAGS =	-g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined $(WARNFLAGS) $(INCS) \
		$(BSDCFLAGS) $(POSIX_CPPFLAGS)
FUZZ_LIBS =	$(COMPAT_OBJS) $(LIBS)

# Headers: a change to any of them rebuilds what may include it.
HDRS =		config.h compat/compat.h os/os.h src/common/log.h \
		src/common/xmalloc.h src/common/proto.h src/common/pidfile.h \
		src/common/version.h src/common/vxlan.h src/common/ring.h \
		src/common/bytes.h src/common/sockstale.h
SWITCH_HDRS =	src/switch/switch.h src/switch/mgmt.h src/switch/stp.h \
		src/switch/vxport.h
LIB_HDRS =	src/lib/libvdeplug.h src/lib/lib.h
COMPAT_ALL =	compat/strlcpy.o compat/strlcat.o compat/strtonum.o \
		compat/reallocarray.o compat/getprogname.o

# --- rules ---------------------------------------------------------------
.SUFFIXES: .c .o .sh

.c.o:
	$(CC) $(ALL_CFLAGS) $(POSIX_CPPFLAGS) -c -o $@ $<

.sh:
	cp $< $@
	chmod a+x $@

all: $(PROGS) $(LIB_SHARED) $(LIB_STATIC)

$(COMMON_OBJS) $(COMPAT_ALL): $(HDRS)
$(SWITCH_OBJS) $(STP_CORE_OBJS): $(HDRS) $(SWITCH_HDRS)
$(LIB_OBJS) $(PLUG_OBJS) $(PLUG2TAP_OBJS): $(HDRS) $(LIB_HDRS) src/tools/outq.h \
    src/tools/tool.h
$(DPIPE_OBJS) $(VDECMD_OBJS): $(HDRS)
$(WF_OBJS): $(HDRS) $(LIB_HDRS) src/tools/outq.h src/tools/tool.h \
    src/tools/wfmodel.h src/tools/wfrand.h src/tools/wfmgmt.h
$(BENCH_OBJS): $(HDRS) $(LIB_HDRS)

os/$(OS)/os.o: os/$(OS)/os.c os/os.h config.h
	$(CC) $(ALL_CFLAGS) $(OS_CPPFLAGS) -c -o $@ os/$(OS)/os.c

os/$(OS)/tap.o: os/$(OS)/tap.c os/os.h config.h
	$(CC) $(ALL_CFLAGS) $(OS_CPPFLAGS) -c -o $@ os/$(OS)/tap.c

os/sun.o: os/sun.c os/os.h config.h
	$(CC) $(ALL_CFLAGS) $(OS_CPPFLAGS) -c -o $@ os/sun.c

os/cred.o: os/cred.c os/os.h config.h
	$(CC) $(ALL_CFLAGS) $(OS_CPPFLAGS) -c -o $@ os/cred.c

os/mcast.o: os/mcast.c os/os.h config.h
	$(CC) $(ALL_CFLAGS) $(OS_CPPFLAGS) -c -o $@ os/mcast.c

os/$(OS)/mux.o: os/$(OS)/mux.c os/os.h config.h
	$(CC) $(ALL_CFLAGS) $(OS_CPPFLAGS) -c -o $@ os/$(OS)/mux.c
os/inet.o: os/inet.c os/os.h config.h
	$(CC) $(ALL_CFLAGS) $(OS_CPPFLAGS) -c -o $@ os/inet.c
os/udpseg.o: os/udpseg.c os/os.h config.h
	$(CC) $(ALL_CFLAGS) $(OS_CPPFLAGS) -c -o $@ os/udpseg.c

$(OS_BATCH_OBJ): os/mmsg.c os/single.c os/os.h config.h
	$(CC) $(ALL_CFLAGS) $(OS_CPPFLAGS) -c -o $@ $(OS_BATCH_OBJ:.o=.c)

$(OS_SHM_OBJ): os/shm_memfd.c os/shm_none.c os/os.h config.h
	$(CC) $(ALL_CFLAGS) $(OS_CPPFLAGS) -c -o $@ $(OS_SHM_OBJ:.o=.c)

$(LIBCOMMON): $(COMMON_OBJS) $(OS_OBJS) $(COMPAT_OBJS)
	rm -f $@
	$(AR) rcs $@ $(COMMON_OBJS) $(OS_OBJS) $(COMPAT_OBJS)

# capture.c includes <pcap/pcap.h>, which needs the system's full
# interface (u_char): it is built like the os/ files.
src/switch/capture.o: src/switch/capture.c
	$(CC) $(ALL_CFLAGS) $(OS_CPPFLAGS) $(PCAP_CFLAGS) -c -o $@ \
	    src/switch/capture.c

src/switch/vde_switch: $(SWITCH_OBJS) $(LIBCOMMON)
	$(CC) $(LDFLAGS) -o $@ $(SWITCH_OBJS) $(LIBCOMMON) $(PCAP_LIBS) $(LIBS)

$(LIB_SHARED): $(LIB_OBJS) $(LIBCOMMON)
	$(CC) $(LDFLAGS) -shared -Wl,-soname,libvdeplug.so.$(LIB_MAJOR) \
	    -o $@ $(LIB_OBJS) $(LIBCOMMON) $(LIBS)
	ln -sf libvdeplug.so.$(LIB_MAJOR) src/lib/libvdeplug.so

$(LIB_STATIC): $(LIB_OBJS) $(COMMON_OBJS) $(OS_OBJS) $(COMPAT_OBJS)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJS) $(COMMON_OBJS) $(OS_OBJS) $(COMPAT_OBJS)

src/tools/vde_plug: $(PLUG_OBJS) $(LIB_STATIC)
	$(CC) $(LDFLAGS) -o $@ $(PLUG_OBJS) $(LIB_STATIC) $(LIBS)

src/tools/dpipe: $(DPIPE_OBJS) $(LIBCOMMON)
	$(CC) $(LDFLAGS) -o $@ $(DPIPE_OBJS) $(LIBCOMMON) $(LIBS)

src/tools/vde_plug2tap: $(PLUG2TAP_OBJS) $(LIB_STATIC)
	$(CC) $(LDFLAGS) -o $@ $(PLUG2TAP_OBJS) $(LIB_STATIC) $(LIBS)

src/tools/vdecmd: $(VDECMD_OBJS) $(LIBCOMMON)
	$(CC) $(LDFLAGS) -o $@ $(VDECMD_OBJS) $(LIBCOMMON) $(LIBS)

src/tools/wirefilter: $(WF_OBJS) $(LIB_STATIC)
	$(CC) $(LDFLAGS) -o $@ $(WF_OBJS) $(LIB_STATIC) $(LIBS) -lm

# <pcap/pcap.h> needs the system's full interface (u_char): OS_CPPFLAGS.
src/tools/vde_pcapplug.o: src/tools/vde_pcapplug.c $(HDRS) $(LIB_HDRS) \
    src/tools/tool.h
	$(CC) $(ALL_CFLAGS) $(OS_CPPFLAGS) $(PCAP_CFLAGS) -c -o $@ \
	    src/tools/vde_pcapplug.c

src/tools/vde_pcapplug: $(PCAPPLUG_OBJS) $(LIB_STATIC)
	$(CC) $(LDFLAGS) -o $@ $(PCAPPLUG_OBJS) $(LIB_STATIC) $(PCAP_LIBS) \
	    $(LIBS)

bench/blaster: $(BENCH_OBJS) $(LIB_STATIC)
	$(CC) $(LDFLAGS) -o $@ $(BENCH_OBJS) $(LIB_STATIC) $(LIBS)

# Unit tests: each links the module under test and libvdecommon.
tests/compat_test: tests/compat_test.c $(LIBCOMMON)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -o $@ tests/compat_test.c \
	    $(LIBCOMMON) $(TEST_LIBS)

tests/os_test: tests/os_test.c $(LIBCOMMON)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -o $@ tests/os_test.c \
	    $(LIBCOMMON) $(TEST_LIBS)

tests/ringbuf_test: tests/ringbuf_test.c $(LIBCOMMON)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -o $@ tests/ringbuf_test.c \
	    $(LIBCOMMON) $(TEST_LIBS)

tests/ctlreq_test: tests/ctlreq_test.c $(LIBCOMMON)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -o $@ tests/ctlreq_test.c \
	    $(LIBCOMMON) $(TEST_LIBS)

tests/stream_test: tests/stream_test.c $(LIBCOMMON)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -o $@ tests/stream_test.c \
	    $(LIBCOMMON) $(TEST_LIBS)

tests/vtag_test: tests/vtag_test.c src/switch/vtag.o
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -Isrc/switch -o $@ \
	    tests/vtag_test.c src/switch/vtag.o $(TEST_LIBS)

tests/vlantab_test: tests/vlantab_test.c src/switch/vlan.o src/switch/vtag.o \
    $(LIBCOMMON)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -Isrc/switch -o $@ \
	    tests/vlantab_test.c src/switch/vlan.o src/switch/vtag.o \
	    $(LIBCOMMON) $(TEST_LIBS)

tests/gso_test: tests/gso_test.c $(SWITCH_GSO_OBJS)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -Isrc/switch -o $@ \
	    tests/gso_test.c $(SWITCH_GSO_OBJS) $(TEST_LIBS)

# port.c and portq.c with their real segmentation and system calls; the loop and the MAC
# table are stubs in the test.
PORT_UNIT_OBJS =	src/switch/port.o src/switch/portq.o $(SWITCH_GSO_OBJS) \
			$(OS_OBJS)

tests/port_test: tests/port_test.c $(PORT_UNIT_OBJS) $(LIBCOMMON)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -Isrc/switch -o $@ \
	    tests/port_test.c $(PORT_UNIT_OBJS) $(LIBCOMMON) $(TEST_LIBS)

tests/helpers/gso_dump: tests/helpers/gso_dump.c $(SWITCH_GSO_OBJS)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -Isrc/switch -o $@ \
	    tests/helpers/gso_dump.c $(SWITCH_GSO_OBJS) $(LIBS)

# Without $(CFLAGS): a sanitizer's runtime must not be needed where the
# library is preloaded into uninstrumented programs (chmod, env).
tests/helpers/fakeos.so: tests/helpers/fakeos.c
	$(CC) -O2 $(WARNFLAGS) -fPIC -shared -o $@ tests/helpers/fakeos.c

# Fuzz targets: each compiles the code under test with the fuzzer flags.
fuzz: $(FUZZ_PROGS)

fuzz/ctlreq_fuzz: fuzz/ctlreq_fuzz.c src/common/ctlreq.c $(HDRS) $(COMPAT_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/ctlreq_fuzz.c src/common/ctlreq.c \
	    $(FUZZ_LIBS)

fuzz/stream_fuzz: fuzz/stream_fuzz.c src/common/stream.c $(HDRS) $(COMPAT_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/stream_fuzz.c src/common/stream.c \
	    $(FUZZ_LIBS)

fuzz/ring_fuzz: fuzz/ring_fuzz.c src/common/ring.c $(HDRS) $(COMPAT_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/ring_fuzz.c src/common/ring.c \
	    $(FUZZ_LIBS)

fuzz/vnl_fuzz: fuzz/vnl_fuzz.c src/lib/vnl.c src/lib/vxurl.c $(HDRS) \
    $(LIB_HDRS) $(COMPAT_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/vnl_fuzz.c src/lib/vnl.c \
	    src/lib/vxurl.c $(FUZZ_LIBS)

fuzz/vlan_fuzz: fuzz/vlan_fuzz.c src/switch/vlan.c src/switch/vtag.c $(HDRS) \
    $(SWITCH_HDRS) $(COMPAT_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/switch -o $@ fuzz/vlan_fuzz.c \
	    src/switch/vlan.c src/switch/vtag.c src/common/log.c \
	    src/common/xmalloc.c $(FUZZ_LIBS)

fuzz/bpdu_fuzz: fuzz/bpdu_fuzz.c src/switch/bpdu.c src/switch/stp.c \
    src/switch/stpsm.c src/switch/stpprt.c $(HDRS) $(SWITCH_HDRS) \
    $(COMPAT_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/switch -o $@ fuzz/bpdu_fuzz.c \
	    src/switch/bpdu.c src/switch/stp.c src/switch/stpsm.c \
	    src/switch/stpprt.c src/common/log.c src/common/xmalloc.c \
	    $(FUZZ_LIBS)

fuzz/mgmt_fuzz: fuzz/mgmt_fuzz.c src/switch/linebuf.c src/switch/cmd.c \
    $(HDRS) $(SWITCH_HDRS) $(COMPAT_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/switch -o $@ fuzz/mgmt_fuzz.c \
	    src/switch/linebuf.c src/switch/cmd.c src/common/log.c \
	    src/common/xmalloc.c $(FUZZ_LIBS)

fuzz/vxlan_fuzz: fuzz/vxlan_fuzz.c src/common/vxlan.c src/switch/vxfdb.c \
    $(HDRS) $(SWITCH_HDRS) $(COMPAT_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/switch -o $@ fuzz/vxlan_fuzz.c \
	    src/common/vxlan.c src/switch/vxfdb.c src/common/log.c \
	    src/common/xmalloc.c $(FUZZ_LIBS)

fuzz/gso_fuzz: fuzz/gso_fuzz.c src/switch/gso.c src/switch/csum.c $(HDRS) \
    $(SWITCH_HDRS) $(COMPAT_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/switch -o $@ fuzz/gso_fuzz.c \
	    src/switch/gso.c src/switch/csum.c $(FUZZ_LIBS)

fuzz/gro_fuzz: fuzz/gro_fuzz.c src/switch/gro.c src/switch/gso.c \
    src/switch/csum.c $(HDRS) $(SWITCH_HDRS) $(COMPAT_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/switch -o $@ fuzz/gro_fuzz.c \
	    src/switch/gro.c src/switch/gso.c src/switch/csum.c $(FUZZ_LIBS)

fuzz/wfmodel_fuzz: fuzz/wfmodel_fuzz.c src/tools/wfmodel.c src/tools/wfrand.c \
    src/tools/wfmarkov.c src/tools/wfmodel.h src/tools/wfrand.h $(HDRS) \
    $(COMPAT_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/tools -o $@ fuzz/wfmodel_fuzz.c \
	    src/tools/wfmodel.c src/tools/wfrand.c src/tools/wfmarkov.c \
	    $(FUZZ_LIBS) -lm

# A capture's share of time spent writing, alone.
tests/capbudget_test: tests/capbudget_test.c src/switch/capbudget.o
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -Isrc/switch -o $@ \
	    tests/capbudget_test.c src/switch/capbudget.o $(TEST_LIBS)

tests/vxhdr_test: tests/vxhdr_test.c src/switch/vxfdb.o $(LIBCOMMON)
	$(CC) $(TEST_CFLAGS) -Isrc/switch $(POSIX_CPPFLAGS) -o $@ \
	    tests/vxhdr_test.c src/switch/vxfdb.o $(LIBCOMMON) $(TEST_LIBS)

tests/fdb_test: tests/fdb_test.c src/switch/fdb.o $(LIBCOMMON)
	$(CC) $(TEST_CFLAGS) -Isrc/switch $(POSIX_CPPFLAGS) -o $@ \
	    tests/fdb_test.c src/switch/fdb.o $(LIBCOMMON) $(TEST_LIBS)

tests/bpdu_test: tests/bpdu_test.c src/switch/bpdu.o $(LIBCOMMON)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -Isrc/switch -o $@ \
	    tests/bpdu_test.c src/switch/bpdu.o $(LIBCOMMON) $(TEST_LIBS)

tests/stpsm_test: tests/stpsm_test.c $(STP_CORE_OBJS) $(LIBCOMMON)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -Isrc/switch -o $@ \
	    tests/stpsm_test.c $(STP_CORE_OBJS) $(LIBCOMMON) $(TEST_LIBS)

tests/mgmt_test: tests/mgmt_test.c $(MGMT_UNIT_OBJS) $(LIBCOMMON)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -Isrc/switch -o $@ \
	    tests/mgmt_test.c $(MGMT_UNIT_OBJS) $(LIBCOMMON) $(TEST_LIBS)

$(MGMT_UNIT_OBJS): $(HDRS) $(SWITCH_HDRS)

# The real command table: every switch object but main.o.
CMDTAB_TEST_OBJS =	$(SWITCH_OBJS:src/switch/main.o=)
tests/cmdtab_test: tests/cmdtab_test.c $(CMDTAB_TEST_OBJS) $(LIBCOMMON)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -Isrc/switch -o $@ \
	    tests/cmdtab_test.c $(CMDTAB_TEST_OBJS) $(LIBCOMMON) $(PCAP_LIBS) \
	    $(TEST_LIBS)

# loop_test brings its own poll(), which loop.o then calls.
tests/loop_test: tests/loop_test.c src/switch/loop.o $(LIBCOMMON)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -Isrc/switch -o $@ \
	    tests/loop_test.c src/switch/loop.o $(LIBCOMMON) $(TEST_LIBS)

tests/vxurl_test: tests/vxurl_test.c $(LIB_STATIC) $(LIB_HDRS)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -o $@ tests/vxurl_test.c \
	    $(LIB_STATIC) $(TEST_LIBS)

tests/libvdeplug_test: tests/libvdeplug_test.c $(LIB_STATIC) $(LIB_HDRS)
	$(CC) $(TEST_CFLAGS) $(POSIX_CPPFLAGS) -o $@ tests/libvdeplug_test.c \
	    $(LIB_STATIC) $(TEST_LIBS)

tests: all $(TEST_PROGS) $(BENCH_PROGS)

# --- releases: "make dist", "make distcheck" (packaging/dist*.sh) ---------
# The tests distcheck runs in the unpacked tarball: those that need no root.
DISTCHECK_TESTS =	$(TEST_C_PROGS) $(CMDTAB_TEST_PROGS) tests/gso_test \
			tests/loop_test tests/port_test

dist:
	sh packaging/dist.sh $(VERSION)

distcheck:
	sh packaging/distcheck.sh $(VERSION)

print-distcheck-tests:
	@echo $(DISTCHECK_TESTS)

# What tests/pkg_test asks --version of.
print-progs:
	@echo $(PROGS)

check: tests
	sh tests/run.sh

demo: all
	sh examples/demo.sh

lint:
	mandoc -Tlint -Wwarning $(MANS)

bench: all $(BENCH_PROGS)
	sh bench/run.sh

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBDIR) \
	    $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(INCLUDEDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 \
	    $(DESTDIR)$(MANDIR)/man8
	for p in $(SBIN_PROGS); do \
		install -m 0755 $$p $(DESTDIR)$(SBINDIR)/; done
	for p in $(BIN_PROGS); do \
		install -m 0755 $$p $(DESTDIR)$(BINDIR)/; done
	install -m 0755 $(LIB_SHARED) $(DESTDIR)$(LIBDIR)/libvdeplug.so.$(LIB_MAJOR)
	ln -sf libvdeplug.so.$(LIB_MAJOR) $(DESTDIR)$(LIBDIR)/libvdeplug.so
	install -m 0644 $(LIB_STATIC) $(DESTDIR)$(LIBDIR)/
	install -m 0644 src/lib/libvdeplug.h $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    src/lib/vdeplug.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/vdeplug.pc
	for m in $(MAN1); do install -m 0644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in $(MAN3); do install -m 0644 $$m $(DESTDIR)$(MANDIR)/man3/; done
	for m in $(MAN8); do install -m 0644 $$m $(DESTDIR)$(MANDIR)/man8/; done
	for l in $(MLINKS3); do \
		ln -sf libvdeplug.3 $(DESTDIR)$(MANDIR)/man3/$$l; done

uninstall:
	for p in $(SBIN_PROGS); do \
		rm -f $(DESTDIR)$(SBINDIR)/`basename $$p`; done
	for p in $(BIN_PROGS); do \
		rm -f $(DESTDIR)$(BINDIR)/`basename $$p`; done
	rm -f $(DESTDIR)$(LIBDIR)/libvdeplug.so.$(LIB_MAJOR) \
	    $(DESTDIR)$(LIBDIR)/libvdeplug.so $(DESTDIR)$(LIBDIR)/libvdeplug.a \
	    $(DESTDIR)$(PKGCONFIGDIR)/vdeplug.pc \
	    $(DESTDIR)$(INCLUDEDIR)/libvdeplug.h
	for m in $(MANS); do \
		s=`echo $$m | sed 's/.*\.//'`; \
		rm -f $(DESTDIR)$(MANDIR)/man$$s/`basename $$m`; done
	for l in $(MLINKS3); do rm -f $(DESTDIR)$(MANDIR)/man3/$$l; done

clean:
	rm -f $(PROGS) $(TEST_PROGS) $(LIBCOMMON) $(LIB_SHARED) $(LIB_STATIC) \
	    src/lib/libvdeplug.so $(FUZZ_PROGS) $(BENCH_PROGS)
	find . -name '*.o' -type f -exec rm -f {} +

distclean: clean
	rm -f config.h config.mk config.log
